package config

import "github.com/ninhthuan/nhachan/internal/schedule"

// The raw shapes of the YAML files. Every key a file may hold is a field
// here; anything else is an error. Fields tagged req:"true" must be given.

// mainFile is config/nhachan.yaml.
type mainFile struct {
	At            at             `yaml:"-"`
	Timezone      string         `yaml:"timezone"`
	Directory     string         `yaml:"directory" req:"true"`
	Holidays      string         `yaml:"holidays"`
	Schedules     []scheduleRef  `yaml:"schedules" req:"true"`
	Database      string         `yaml:"database"`
	TrackingStart *schedule.Date `yaml:"tracking_start"`
	Tick          string         `yaml:"tick"`
	PublicURL     string         `yaml:"public_url"`
	Mail          *mailRaw       `yaml:"mail"`
	Policy        *policyRaw     `yaml:"policy"`
	Recipients    *recipientsRaw `yaml:"recipients"`
	Links         *linksRaw      `yaml:"links"`
	Admins        []adminRaw     `yaml:"admins"`
	// TrustedProxies are the reverse proxies (addresses or CIDR networks)
	// whose X-Forwarded-For the web server believes.
	TrustedProxies []string `yaml:"trusted_proxies"`
	// MetricsListen serves /metrics on its own address.
	MetricsListen string `yaml:"metrics_listen"`
}

// linksRaw configures the signed links in mail and the calendar feeds.
type linksRaw struct {
	At              at     `yaml:"-"`
	KeyFile         string `yaml:"key_file" req:"true"`
	PreviousKeyFile string `yaml:"previous_key_file"`
	ValidDays       *int   `yaml:"valid_days"`
}

// adminRaw is one Sở Nội vụ admin of the web area; the password is only
// ever stored as a bcrypt hash.
type adminRaw struct {
	At           at     `yaml:"-"`
	User         string `yaml:"user" req:"true"`
	Name         string `yaml:"name"`
	PasswordHash string `yaml:"password_hash" req:"true"`
}

type mailRaw struct {
	At           at       `yaml:"-"`
	From         *fromRaw `yaml:"from"`
	OutboxDir    string   `yaml:"outbox_dir"`
	SMTP         *smtpRaw `yaml:"smtp"`
	TemplatesDir string   `yaml:"templates_dir"`
	// ReplyTo is the follow-up agency's desk: replies go to it, and the
	// letters' footer names it.
	ReplyTo []contactRaw `yaml:"reply_to"`
	// Demo marks every letter as a demonstration in its first line.
	Demo bool `yaml:"demo"`
}

type fromRaw struct {
	At   at     `yaml:"-"`
	Name string `yaml:"name"`
	Addr string `yaml:"addr" req:"true"`
}

type smtpRaw struct {
	At           at     `yaml:"-"`
	URL          string `yaml:"url" req:"true"`
	Username     string `yaml:"username"`
	PasswordFile string `yaml:"password_file"`
	PasswordEnv  string `yaml:"password_env"`
}

type policyRaw struct {
	At                 at    `yaml:"-"`
	ReminderDays       []int `yaml:"reminder_days"`
	Level2AfterDays    *int  `yaml:"level2_after_days"`
	RepeatEveryDays    *int  `yaml:"repeat_every_days"`
	MaxRepeats         *int  `yaml:"max_repeats"`
	SendHour           *int  `yaml:"send_hour"`
	CopyFollowUp       *bool `yaml:"copy_follow_up"`
	DailyDigest        *bool `yaml:"daily_digest"`
	RemindCoordinating *bool `yaml:"remind_coordinating"`
	WeeklySummary      *bool `yaml:"weekly_summary"`
	// AnyTime opens the send window on every day at every hour. For demos
	// only: production keeps working days and hours.
	AnyTime bool `yaml:"any_time"`
}

type recipientsRaw struct {
	At                   at          `yaml:"-"`
	FollowUp             string      `yaml:"follow_up"`
	FollowUpLeadership   []leaderRaw `yaml:"follow_up_leadership"`
	ProvincialOffice     string      `yaml:"provincial_office"`
	ProvincialLeadership []leaderRaw `yaml:"provincial_leadership"`
}

// leaderRaw is one leadership address, with the days it is in use like an
// agency's (a province's leaders change with the province). A bare
// address is always in use.
type leaderRaw struct {
	At         at             `yaml:"-"`
	Addr       string         `yaml:"addr" req:"true" scalar:"true"`
	ValidFrom  *schedule.Date `yaml:"valid_from"`
	ValidUntil *schedule.Date `yaml:"valid_until"`
}

// contactRaw is the follow-up agency's desk that letters name for
// questions, and where replies go, with the days it is in use (the desk
// of Ninh Thuận's Sở Nội vụ until the merger, Khánh Hòa's after it).
type contactRaw struct {
	At         at             `yaml:"-"`
	Desk       string         `yaml:"desk" req:"true"`
	Addr       string         `yaml:"addr" req:"true"`
	Phone      string         `yaml:"phone" req:"true"`
	Address    string         `yaml:"address" req:"true"`
	ValidFrom  *schedule.Date `yaml:"valid_from"`
	ValidUntil *schedule.Date `yaml:"valid_until"`
}

type scheduleRef struct {
	At   at     `yaml:"-"`
	File string `yaml:"file" req:"true"`
	// CarryForwardUntil lets an admin keep a plan's recurring tasks alive
	// past the plan's own end, until a successor plan is entered.
	CarryForwardUntil *schedule.Date `yaml:"carry_forward_until"`
}

// agenciesFile is the agency directory.
type agenciesFile struct {
	At       at          `yaml:"-"`
	Groups   []groupRaw  `yaml:"groups"`
	Agencies []agencyRaw `yaml:"agencies" req:"true"`
}

type groupRaw struct {
	At   at     `yaml:"-"`
	ID   string `yaml:"id" req:"true"`
	Name string `yaml:"name" req:"true"`
}

type agencyRaw struct {
	At         at             `yaml:"-"`
	ID         string         `yaml:"id" req:"true"`
	Name       string         `yaml:"name" req:"true"`
	ShortName  string         `yaml:"short_name"`
	Groups     []string       `yaml:"groups"`
	Email      []string       `yaml:"email"`
	Head       *headRaw       `yaml:"head"`
	ValidFrom  *schedule.Date `yaml:"valid_from"`
	ValidUntil *schedule.Date `yaml:"valid_until"`
	Successors []string       `yaml:"successors"`
	Note       string         `yaml:"note"`
}

type headRaw struct {
	At    at     `yaml:"-"`
	Title string `yaml:"title"`
	Email string `yaml:"email" req:"true"`
}

// scheduleFile is one plan document under schedules/.
type scheduleFile struct {
	At           at             `yaml:"-"`
	ID           string         `yaml:"id" req:"true"`
	Title        string         `yaml:"title" req:"true"`
	Number       string         `yaml:"number"`
	Issuer       string         `yaml:"issuer"`
	Decision     string         `yaml:"decision"`
	Issued       *schedule.Date `yaml:"issued"`
	Period       *periodRaw     `yaml:"period" req:"true"`
	StrictBefore bool           `yaml:"strict_before"`
	FollowUp     string         `yaml:"follow_up"`
	Sections     []sectionRaw   `yaml:"sections"`
	Tasks        []taskRaw      `yaml:"tasks" req:"true"`
	// Review holds what `nhachan import` could not read with confidence;
	// a file that still has it is refused.
	Review []string `yaml:"review"`
}

type periodRaw struct {
	At    at            `yaml:"-"`
	From  schedule.Date `yaml:"from" req:"true"`
	Until schedule.Date `yaml:"until" req:"true"`
}

type sectionRaw struct {
	At    at     `yaml:"-"`
	ID    string `yaml:"id" req:"true"`
	Title string `yaml:"title" req:"true"`
}

type taskRaw struct {
	At                at       `yaml:"-"`
	ID                string   `yaml:"id" req:"true"`
	Section           string   `yaml:"section" req:"true"`
	Title             string   `yaml:"title"`
	Task              string   `yaml:"task" req:"true"`
	Product           string   `yaml:"product"`
	Time              string   `yaml:"time" req:"true"`
	Rule              string   `yaml:"rule"`
	RuleSource        string   `yaml:"rule_source"`
	LeadText          string   `yaml:"lead_text"`
	Lead              []string `yaml:"lead" req:"true"`
	CoordinatingText  string   `yaml:"coordinating_text"`
	Coordinating      []string `yaml:"coordinating"`
	Note              string   `yaml:"note"`
	LegalBasis        string   `yaml:"legal_basis"`
	WorkingDaysBefore int      `yaml:"working_days_before"`
	DataCutoff        string   `yaml:"data_cutoff"`
	ReminderDays      []int    `yaml:"reminder_days"`
	// Escalate: false makes a soft duty, reminded but never escalated.
	Escalate *bool `yaml:"escalate"`
	// PlansNextYear: the task is a plan for the year after its period.
	PlansNextYear bool `yaml:"plans_next_year"`
	// Review holds what `nhachan import` could not read with confidence;
	// a task that still has it is refused.
	Review []string `yaml:"review"`
}

// holidayFile is one year of non-working days, config/holidays/YYYY.yaml.
type holidayFile struct {
	At        at           `yaml:"-"`
	Year      int          `yaml:"year" req:"true"`
	Source    string       `yaml:"source"`
	Confirmed bool         `yaml:"confirmed"`
	Days      []holidayRaw `yaml:"days"`
	Workdays  []holidayRaw `yaml:"workdays"`
}

type holidayRaw struct {
	At   at            `yaml:"-"`
	Date schedule.Date `yaml:"date" req:"true"`
	Name string        `yaml:"name" req:"true"`
	Kind string        `yaml:"kind"`
}
