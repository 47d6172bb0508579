//! The byte layout of storygraph's own files (the projection's snapshot,
//! its deltas, its image): little-endian numbers, length-prefixed UTF-8
//! strings, a tag byte before what may be absent. Decoding checks every
//! length and string, so a damaged file gives an error, never a panic.

use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use crate::model::Certainty;
use crate::timespec::Day;

/// A temporary file beside `name` in `dir`, its own per process and
/// moment: readers that share a store each write their own, and a rename
/// makes one whole file current.
pub(crate) fn temporary_path(dir: &Path, name: &str) -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    dir.join(format!("{name}.{}-{nanos:x}.tmp", std::process::id()))
}

pub(crate) struct Encoder<W: Write>(pub(crate) W);

impl<W: Write> Encoder<W> {
    pub(crate) fn byte(&mut self, b: u8) -> io::Result<()> {
        self.0.write_all(&[b])
    }

    pub(crate) fn len(&mut self, n: usize) -> io::Result<()> {
        let n = u32::try_from(n).map_err(io::Error::other)?;
        self.0.write_all(&n.to_le_bytes())
    }

    pub(crate) fn u32(&mut self, n: u32) -> io::Result<()> {
        self.0.write_all(&n.to_le_bytes())
    }

    pub(crate) fn u64(&mut self, n: u64) -> io::Result<()> {
        self.0.write_all(&n.to_le_bytes())
    }

    pub(crate) fn f64(&mut self, x: f64) -> io::Result<()> {
        self.u64(x.to_bits())
    }

    pub(crate) fn certainty(&mut self, c: Certainty) -> io::Result<()> {
        let code = Certainty::ALL.iter().position(|x| *x == c).unwrap_or(0);
        self.byte(code as u8)
    }

    pub(crate) fn str(&mut self, s: &str) -> io::Result<()> {
        self.len(s.len())?;
        self.0.write_all(s.as_bytes())
    }

    pub(crate) fn opt(&mut self, s: &Option<String>) -> io::Result<()> {
        match s {
            None => self.byte(0),
            Some(s) => {
                self.byte(1)?;
                self.str(s)
            }
        }
    }

    pub(crate) fn strs(&mut self, list: &[String]) -> io::Result<()> {
        self.len(list.len())?;
        list.iter().try_for_each(|s| self.str(s))
    }

    /// An entity's (language, text, preferred?) labels.
    pub(crate) fn labels(&mut self, labels: &[(String, String, bool)]) -> io::Result<()> {
        self.len(labels.len())?;
        labels.iter().try_for_each(|(lang, text, preferred)| {
            self.str(lang)?;
            self.str(text)?;
            self.byte(u8::from(*preferred))
        })
    }

    pub(crate) fn day(&mut self, day: Option<Day>) -> io::Result<()> {
        match day {
            None => self.byte(0),
            Some(d) => {
                self.byte(1)?;
                self.0.write_all(&d.year.to_le_bytes())?;
                self.0.write_all(&[d.month, d.day])
            }
        }
    }
}

pub(crate) struct Decoder<R: Read>(pub(crate) R);

impl<R: Read> Decoder<R> {
    pub(crate) fn byte(&mut self) -> io::Result<u8> {
        let mut b = [0u8; 1];
        self.0.read_exact(&mut b)?;
        Ok(b[0])
    }

    pub(crate) fn len(&mut self) -> io::Result<usize> {
        let mut b = [0u8; 4];
        self.0.read_exact(&mut b)?;
        Ok(u32::from_le_bytes(b) as usize)
    }

    pub(crate) fn u32(&mut self) -> io::Result<u32> {
        let mut b = [0u8; 4];
        self.0.read_exact(&mut b)?;
        Ok(u32::from_le_bytes(b))
    }

    pub(crate) fn u64(&mut self) -> io::Result<u64> {
        let mut b = [0u8; 8];
        self.0.read_exact(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }

    pub(crate) fn f64(&mut self) -> io::Result<f64> {
        self.u64().map(f64::from_bits)
    }

    pub(crate) fn certainty(&mut self) -> io::Result<Certainty> {
        let code = self.byte()?;
        Certainty::ALL
            .get(usize::from(code))
            .copied()
            .ok_or_else(|| io::Error::other("bad certainty code"))
    }

    pub(crate) fn str(&mut self) -> io::Result<String> {
        let n = self.len()?;
        let mut bytes = vec![0u8; n];
        self.0.read_exact(&mut bytes)?;
        String::from_utf8(bytes).map_err(io::Error::other)
    }

    pub(crate) fn opt(&mut self) -> io::Result<Option<String>> {
        match self.byte()? {
            0 => Ok(None),
            _ => self.str().map(Some),
        }
    }

    pub(crate) fn strs(&mut self) -> io::Result<Vec<String>> {
        let n = self.len()?;
        (0..n).map(|_| self.str()).collect()
    }

    pub(crate) fn labels(&mut self) -> io::Result<Vec<(String, String, bool)>> {
        let n = self.len()?;
        (0..n)
            .map(|_| Ok((self.str()?, self.str()?, self.byte()? == 1)))
            .collect()
    }

    pub(crate) fn day(&mut self) -> io::Result<Option<Day>> {
        if self.byte()? == 0 {
            return Ok(None);
        }
        let mut year = [0u8; 4];
        self.0.read_exact(&mut year)?;
        let mut md = [0u8; 2];
        self.0.read_exact(&mut md)?;
        Ok(Some(Day {
            year: i32::from_le_bytes(year),
            month: md[0],
            day: md[1],
        }))
    }
}
