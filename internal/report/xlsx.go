package report

import (
	"fmt"
	"io"
	"strconv"

	"github.com/xuri/excelize/v2"
)

// xlsxPercent is Excel's built-in number format 10, "0.00%": the rate is
// stored as a number (0.857) and shown as a percentage in the reader's own
// locale, so the file is the same for a Vietnamese and an English Excel.
const xlsxPercent = 10

// SheetName returns the name of the compliance sheet of year.
func SheetName(year int) string { return "Năm " + strconv.Itoa(year) }

// WriteXLSX writes rows as an Excel workbook with one sheet, SheetName(year):
// a bold header row (Headers), frozen and filterable, then one row per
// agency. Names are written as text cells, never formulas, and defused
// like the CSV's (spreadsheetText) because a cell is re-read as a formula
// when someone edits it. Counts are numbers; the rate is a number with a
// percentage format, empty when nothing was owed.
func WriteXLSX(w io.Writer, rows []Row, year int) (err error) {
	f := excelize.NewFile()
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("write xlsx: %w", cerr)
		}
	}()
	if err := fillSheet(f, rows, year); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	return nil
}

func fillSheet(f *excelize.File, rows []Row, year int) error {
	sheet := SheetName(year)
	if err := f.SetSheetName(f.GetSheetName(0), sheet); err != nil {
		return err
	}
	if err := f.SetDocProps(&excelize.DocProperties{
		Title:    "Tình hình thực hiện nhiệm vụ năm " + strconv.Itoa(year),
		Creator:  "nhachan",
		Language: "vi-VN",
	}); err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"},
	})
	if err != nil {
		return err
	}
	percent, err := f.NewStyle(&excelize.Style{NumFmt: xlsxPercent})
	if err != nil {
		return err
	}

	for i, h := range Headers {
		cell, err := excelize.CoordinatesToCellName(i+1, 1)
		if err != nil {
			return err
		}
		if err := f.SetCellStr(sheet, cell, h); err != nil {
			return err
		}
	}
	last, err := excelize.CoordinatesToCellName(len(Headers), 1)
	if err != nil {
		return err
	}
	if err := f.SetCellStyle(sheet, "A1", last, bold); err != nil {
		return err
	}

	for r, row := range rows {
		for i, n := range row.counts() {
			cell, err := excelize.CoordinatesToCellName(i+1, r+2)
			if err != nil {
				return err
			}
			switch i {
			case nameCol:
				err = f.SetCellStr(sheet, cell, spreadsheetText(row.Name))
			case rateCol:
				v, ok := row.Rate()
				if !ok {
					continue
				}
				if err = f.SetCellFloat(sheet, cell, v, -1, 64); err == nil {
					err = f.SetCellStyle(sheet, cell, cell, percent)
				}
			default:
				err = f.SetCellInt(sheet, cell, int64(n))
			}
			if err != nil {
				return err
			}
		}
	}

	if err := f.SetColWidth(sheet, "A", "A", 48); err != nil {
		return err
	}
	lastCol, err := excelize.ColumnNumberToName(len(Headers))
	if err != nil {
		return err
	}
	if err := f.SetColWidth(sheet, "B", lastCol, 14); err != nil {
		return err
	}
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	lastCell, err := excelize.CoordinatesToCellName(len(Headers), len(rows)+1)
	if err != nil {
		return err
	}
	return f.AutoFilter(sheet, "A1:"+lastCell, nil)
}
