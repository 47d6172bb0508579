//! Aligned text tables. Widths are measured in terminal columns
//! (`unicode-width`, through comfy-table), so Arabic, wide and combining
//! characters line up.

use std::io::{self, Write};

use unicode_width::UnicodeWidthStr;

use super::terminal::shown;

/// Writes `rows` under `header` as an aligned table, in comfy-table's
/// `UTF8_FULL_CONDENSED` look, a row at a time: a whole-store report at a
/// million facts has a million rows, and laying them out as a comfy-table
/// first took half its time and gigabytes.
pub fn write_table(out: &mut dyn Write, header: &[String], rows: &[Vec<String>]) -> io::Result<()> {
    // Cells are shown escaped: a value never moves the cursor or breaks
    // its row (see `terminal`).
    let columns = rows.iter().map(Vec::len).fold(header.len(), usize::max);
    if columns == 0 {
        // No cells to draw: the frame and the header's rule alone.
        return out.write_all("┌┐\n╞╡\n└┘\n".as_bytes());
    }
    // A column at least one character wide, as comfy-table draws it.
    let mut widths = vec![1usize; columns];
    for row in std::iter::once(header).chain(rows.iter().map(Vec::as_slice)) {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(shown(cell).width());
        }
    }
    let rule = |left: &str, fill: &str, middle: &str, right: &str| {
        let parts: Vec<String> = widths.iter().map(|w| fill.repeat(w + 2)).collect();
        format!("{left}{}{right}\n", parts.join(middle))
    };
    let mut line = String::new();
    let mut write_row = |out: &mut dyn Write, row: &[String]| {
        line.clear();
        line.push('│');
        for (i, width) in widths.iter().enumerate() {
            if i > 0 {
                line.push('┆');
            }
            let cell = row.get(i).map(|c| shown(c)).unwrap_or_default();
            line.push(' ');
            line.push_str(&cell);
            line.push_str(&" ".repeat(width - cell.width() + 1));
        }
        line.push_str("│\n");
        out.write_all(line.as_bytes())
    };
    out.write_all(rule("┌", "─", "┬", "┐").as_bytes())?;
    write_row(out, header)?;
    out.write_all(rule("╞", "═", "╪", "╡").as_bytes())?;
    for row in rows {
        write_row(out, row)?;
    }
    out.write_all(rule("└", "─", "┴", "┘").as_bytes())
}

/// Writes rows as CSV or TSV with a header line.
pub fn write_delimited(
    out: &mut dyn Write,
    header: &[String],
    rows: &[Vec<String>],
    tab: bool,
) -> io::Result<()> {
    let (sep, field): (&str, fn(&str) -> String) = if tab {
        ("\t", super::tsv_field)
    } else {
        (",", super::csv_field)
    };
    let line = |cells: &[String]| cells.iter().map(|c| field(c)).collect::<Vec<_>>().join(sep);
    let end = if tab { "\n" } else { "\r\n" };
    write!(out, "{}{end}", line(header))?;
    for row in rows {
        write!(out, "{}{end}", line(row))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use comfy_table::{presets, ContentArrangement, Table};

    /// What comfy-table writes for the same table.
    fn comfy(header: &[String], rows: &[Vec<String>]) -> String {
        let mut table = Table::new();
        table
            .load_preset(presets::UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Disabled)
            .set_header(header.iter().map(|h| shown(h)));
        for row in rows {
            table.add_row(row.iter().map(|cell| shown(cell)));
        }
        format!("{table}\n")
    }

    #[test]
    fn tables_look_as_comfy_table_draws_them() {
        let cells = [
            "",
            "a",
            "putin",
            "فلاديمير بوتين",
            "宽字符",
            "e\u{301}",
            "x\u{1b}[2J",
            "line\nbreak",
            "  spaced  ",
            "🇦🇿",
            "ZWJ 👩\u{200d}🔬",
            "tab\there",
        ];
        let mut seed = 7u64;
        let mut next = |n: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize % n
        };
        for case in 0..300 {
            let columns = next(4);
            let header: Vec<String> = (0..columns)
                .map(|_| cells[next(cells.len())].to_owned())
                .collect();
            let rows: Vec<Vec<String>> = (0..next(5))
                .map(|_| {
                    (0..columns)
                        .map(|_| cells[next(cells.len())].to_owned())
                        .collect()
                })
                .collect();
            let mut ours = Vec::new();
            write_table(&mut ours, &header, &rows).unwrap();
            assert_eq!(
                String::from_utf8(ours).unwrap(),
                comfy(&header, &rows),
                "case {case}: {header:?} {rows:?}"
            );
        }
    }

    #[test]
    fn arabic_cells_align_with_latin_ones() {
        let header = vec!["id".to_owned(), "label".to_owned()];
        let rows = vec![
            vec!["putin".to_owned(), "فلاديمير بوتين".to_owned()],
            vec!["mehdiyev".to_owned(), "Ramiz Mehdiyev".to_owned()],
        ];
        let mut out = Vec::new();
        write_table(&mut out, &header, &rows).unwrap();
        let text = String::from_utf8(out).unwrap();
        let widths: Vec<usize> = text.lines().map(UnicodeWidthStr::width).collect();
        assert!(
            widths.windows(2).all(|w| w[0] == w[1]),
            "ragged table:\n{text}"
        );
    }

    #[test]
    fn csv_quotes_and_tsv_escapes() {
        let header = vec!["a".to_owned()];
        let rows = vec![vec!["x, \"y\"".to_owned()], vec!["t\tn\n".to_owned()]];
        let mut csv = Vec::new();
        write_delimited(&mut csv, &header, &rows, false).unwrap();
        assert_eq!(
            String::from_utf8(csv).unwrap(),
            "a\r\n\"x, \"\"y\"\"\"\r\n\"t\tn\n\"\r\n"
        );
        let mut tsv = Vec::new();
        write_delimited(&mut tsv, &header, &rows, true).unwrap();
        assert_eq!(String::from_utf8(tsv).unwrap(), "a\nx, \"y\"\nt\\tn\\n\n");
    }
}
