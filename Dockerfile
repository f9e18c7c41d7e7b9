# nhachan image: a static binary on distroless.
#
#   docker build -t nhachan .
#   docker run -d --name nhachan -p 8080:8080 \
#     -v nhachan-data:/var/lib/nhachan \
#     -v /srv/nhachan/etc:/etc/nhachan:ro \
#     -v /srv/nhachan/secrets:/run/secrets:ro \
#     nhachan
#
# /etc/nhachan (read-only) holds nhachan.yaml (config/container/nhachan.yaml),
# agencies.yaml, holidays/ and schedules/; its database and outbox_dir point
# into /var/lib/nhachan, and its password_file / key_file at files under
# /run/secrets. config/HUONG-DAN.md says how to assemble the folder.
#
# The build stage runs exactly `make build-static`, the target CI runs:
# deploy_test.go fails if the two drift apart.

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=docker
ENV VERSION=${VERSION}
RUN make build-static
# The volume's mount point, owned by nonroot (distroless has no shell).
RUN mkdir -p /state && chown 65532:65532 /state

FROM gcr.io/distroless/static-debian12:nonroot
# Time-zone data is embedded in the binary (time/tzdata).
COPY --from=build /src/bin/nhachan /nhachan
COPY --from=build --chown=65532:65532 /state /var/lib/nhachan
USER nonroot
VOLUME /var/lib/nhachan
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
  CMD ["/nhachan", "healthcheck", "--url", "http://127.0.0.1:8080/healthz"]
ENTRYPOINT ["/nhachan","serve","--config","/etc/nhachan/nhachan.yaml","--listen","0.0.0.0:8080"]
