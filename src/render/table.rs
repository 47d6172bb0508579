//! Aligned text tables. Widths are measured in terminal columns
//! (`unicode-width`, through comfy-table), so Arabic, wide and combining
//! characters line up.

use std::io::{self, Write};

use comfy_table::{presets, ContentArrangement, Table};

use super::terminal::shown;

/// Writes `rows` under `header` as an aligned table.
pub fn write_table(out: &mut dyn Write, header: &[String], rows: &[Vec<String>]) -> io::Result<()> {
    let mut table = Table::new();
    table
        .load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(header.iter().map(|h| shown(h)));
    // Cells are shown escaped: a value never moves the cursor or breaks
    // its row (see `terminal`).
    for row in rows {
        table.add_row(row.iter().map(|cell| shown(cell)));
    }
    writeln!(out, "{table}")
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
    use unicode_width::UnicodeWidthStr;

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
