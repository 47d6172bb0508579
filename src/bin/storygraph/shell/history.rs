//! The shell's history file: shared by every session, each entry once.
//! rustyline only drops consecutive repeats, so the file is ours: one entry
//! per line (newlines and backslashes escaped), the newest last, an entry
//! typed again moved to the end. Each save re-reads the file first, so
//! sessions running side by side do not lose each other's entries.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// How many entries the file keeps.
pub const MAX_ENTRIES: usize = 5000;

/// The history file in the platform's data directory.
pub fn default_path() -> Option<PathBuf> {
    dirs::data_dir().map(|d| d.join("storygraph").join("history"))
}

/// The history, oldest first, without duplicates.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct History {
    entries: Vec<String>,
}

impl History {
    pub fn entries(&self) -> &[String] {
        &self.entries
    }

    /// Adds an entry, moving an earlier copy of it to the end. Returns true
    /// when an earlier copy was removed (the editor's list must be redone).
    pub fn add(&mut self, entry: &str) -> bool {
        let entry = entry.trim();
        if entry.is_empty() {
            return false;
        }
        let before = self.entries.len();
        self.entries.retain(|e| e != entry);
        let moved = self.entries.len() != before;
        self.entries.push(entry.to_owned());
        if self.entries.len() > MAX_ENTRIES {
            let extra = self.entries.len() - MAX_ENTRIES;
            self.entries.drain(..extra);
        }
        moved
    }

    /// Parses the file's text.
    pub fn parse(text: &str) -> History {
        let mut history = History::default();
        for line in text.lines() {
            history.add(&unescape(line));
        }
        history
    }

    pub fn to_text(&self) -> String {
        let mut text = String::new();
        for entry in &self.entries {
            text.push_str(&escape(entry));
            text.push('\n');
        }
        text
    }

    /// Reads the file; a missing file is an empty history.
    pub fn load(path: &Path) -> io::Result<History> {
        match fs::read_to_string(path) {
            Ok(text) => Ok(History::parse(&text)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(History::default()),
            Err(e) => Err(e),
        }
    }

    /// Adds `entry` to the file: re-reads it (other sessions may have
    /// written), adds, and replaces it whole (write then rename, so a
    /// crash never leaves half a file).
    pub fn append_to_file(path: &Path, entry: &str) -> io::Result<()> {
        let mut on_disk = History::load(path)?;
        on_disk.add(entry);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir)?;
        }
        let temporary = path.with_extension(format!("tmp{}", std::process::id()));
        let mut file = fs::File::create(&temporary)?;
        file.write_all(on_disk.to_text().as_bytes())?;
        file.sync_all()?;
        fs::rename(&temporary, path)
    }
}

fn escape(entry: &str) -> String {
    entry.replace('\\', "\\\\").replace('\n', "\\n")
}

fn unescape(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeats_anywhere_are_moved_to_the_end() {
        let mut h = History::default();
        assert!(!h.add(".stats"));
        assert!(!h.add(".path putin aliyev"));
        assert!(!h.add("  "));
        assert!(h.add(".stats"));
        assert_eq!(h.entries(), [".path putin aliyev", ".stats"]);
    }

    #[test]
    fn multi_line_entries_survive_the_file() {
        let mut h = History::default();
        h.add("SELECT ?s\nWHERE { ?s ?p \"a\\\\b\" }");
        h.add(".find بوتين");
        let text = h.to_text();
        assert_eq!(text.lines().count(), 2);
        assert_eq!(History::parse(&text), h);
    }

    #[test]
    fn sessions_share_one_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join("history");
        History::append_to_file(&path, ".stats").unwrap();
        History::append_to_file(&path, ".articles").unwrap();
        History::append_to_file(&path, ".stats").unwrap();
        assert_eq!(
            History::load(&path).unwrap().entries(),
            [".articles", ".stats"]
        );
    }
}
