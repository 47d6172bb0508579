//! Driving the real binary through a pseudo-terminal, as a person at a
//! keyboard would: the child gets a new session whose controlling
//! terminal is the pty, so Ctrl-C in cooked mode arrives as SIGINT.

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use nix::pty::{openpty, Winsize};
use nix::sys::termios::{tcgetattr, LocalFlags};

/// A hang guard, not a speed bound: a test that waits this long for text
/// has failed, and says what the screen showed.
const GIVE_UP: Duration = Duration::from_secs(120);

pub struct Pty {
    master: File,
    child: Child,
    screen: Arc<Mutex<Vec<u8>>>,
    /// How much of the (escape-free) screen text `expect` has consumed.
    seen: usize,
}

impl Pty {
    /// Starts `storygraph ARGS` on a pty, with the store and data dir given.
    pub fn spawn(store: &Path, data_home: &Path, args: &[&str]) -> Pty {
        Pty::spawn_with_env(store, data_home, args, &[])
    }

    /// [`Pty::spawn`] with extra environment variables.
    pub fn spawn_with_env(
        store: &Path,
        data_home: &Path,
        args: &[&str],
        env: &[(&str, &str)],
    ) -> Pty {
        let size = Winsize {
            ws_row: 50,
            ws_col: 160,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        let pty = openpty(Some(&size), None).expect("openpty");
        let slave: OwnedFd = pty.slave;
        let mut command = Command::new(env!("CARGO_BIN_EXE_storygraph"));
        command
            .args(args)
            .env("STORYGRAPH_STORE", store)
            .env("XDG_DATA_HOME", data_home)
            .env("TERM", "xterm")
            .env("NO_COLOR", "1")
            .envs(env.iter().copied())
            .stdin(Stdio::from(slave.try_clone().unwrap()))
            .stdout(Stdio::from(slave.try_clone().unwrap()))
            .stderr(Stdio::from(slave));
        // SAFETY: setsid and ioctl are async-signal-safe; nothing else runs
        // between fork and exec.
        unsafe {
            command.pre_exec(|| {
                if libc::setsid() < 0 || libc::ioctl(0, libc::TIOCSCTTY as _, 0) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = command.spawn().expect("spawn storygraph on a pty");
        let master = File::from(pty.master);
        let screen = Arc::new(Mutex::new(Vec::new()));
        let mut reader = master.try_clone().unwrap();
        let sink = screen.clone();
        std::thread::spawn(move || {
            let mut buffer = [0u8; 4096];
            // Ends with EIO when the child has closed the pty.
            while let Ok(n) = reader.read(&mut buffer) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().extend_from_slice(&buffer[..n]);
            }
        });
        Pty {
            master,
            child,
            screen,
            seen: 0,
        }
    }

    /// Types `keys` (a `\r` is Enter, `\t` Tab, `\x03` Ctrl-C, `\x04` Ctrl-D).
    pub fn send(&mut self, keys: &str) {
        self.master.write_all(keys.as_bytes()).unwrap();
        self.master.flush().unwrap();
    }

    /// The screen so far as text, terminal escapes removed.
    pub fn text(&self) -> String {
        strip_escapes(&String::from_utf8_lossy(&self.screen.lock().unwrap()))
    }

    /// Waits until `needle` appears after what earlier calls consumed;
    /// returns the text up to and including it.
    #[track_caller]
    pub fn expect(&mut self, needle: &str) -> String {
        let started = Instant::now();
        loop {
            let text = self.text();
            if let Some(at) = text[self.seen.min(text.len())..].find(needle) {
                let end = self.seen + at + needle.len();
                let found = text[self.seen..end].to_owned();
                self.seen = end;
                return found;
            }
            if started.elapsed() > GIVE_UP {
                panic!(
                    "gave up waiting for {needle:?}; the screen after the last match:\n{}",
                    &text[self.seen.min(text.len())..]
                );
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Waits for a fresh prompt: the line editor is reading (the terminal
    /// is in raw mode), so keys sent now are keys, not cooked input (a key
    /// sent between the prompt's text and raw mode could be lost: a Ctrl-D
    /// taken by the cooked line discipline).
    #[track_caller]
    pub fn prompt(&mut self) -> String {
        let text = self.expect("\nstorygraph> ");
        self.wait_for_mode(false);
        text
    }

    /// Waits until the terminal is in cooked mode (ICANON set): the shell
    /// has left the line editor and is running a statement.
    pub fn wait_for_cooked_mode(&self) {
        self.wait_for_mode(true);
    }

    /// Waits until the terminal's ICANON and ISIG flags are set (`cooked`)
    /// or both clear (raw).
    fn wait_for_mode(&self, cooked: bool) {
        let started = Instant::now();
        let flags = LocalFlags::ICANON | LocalFlags::ISIG;
        loop {
            let termios = tcgetattr(self.master.as_fd()).unwrap();
            let set = termios.local_flags & flags;
            if (cooked && set == flags) || (!cooked && set.is_empty()) {
                return;
            }
            assert!(
                started.elapsed() < GIVE_UP,
                "the terminal never became {}",
                if cooked { "cooked" } else { "raw" }
            );
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// Waits until the child has used `seconds` of CPU time (user and
    /// system, from /proc): long enough into a statement that it is in
    /// its inner loops, whatever the machine's speed.
    pub fn wait_for_cpu(&self, seconds: f64) {
        let started = Instant::now();
        while cpu_seconds(self.child.id()) < seconds {
            assert!(
                started.elapsed() < GIVE_UP,
                "the child never used {seconds} s of CPU"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The child's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits for the child to exit (and fails, with the screen, if it
    /// does not).
    #[track_caller]
    pub fn wait(mut self) -> ExitStatus {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            if started.elapsed() > GIVE_UP {
                panic!(
                    "gave up waiting for the shell to exit; the screen after the last match:\n{}",
                    &self.text()[self.seen.min(self.text().len())..]
                );
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// CPU time a process has used, in seconds (Linux `/proc/PID/stat`).
pub fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name (which may hold spaces) in parentheses.
    let Some((_, rest)) = stat.rsplit_once(')') else {
        return 0.0;
    };
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the whole line.
    let ticks: u64 = [11, 12]
        .iter()
        .filter_map(|&i| fields.get(i)?.parse::<u64>().ok())
        .sum();
    // SAFETY: sysconf only reads a system constant.
    let per_second = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as f64;
    ticks as f64 / per_second
}

/// Removes CSI and OSC escape sequences and carriage returns.
pub fn strip_escapes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\x1b' => match chars.next() {
                Some('[') => {
                    for c in chars.by_ref() {
                        if ('@'..='~').contains(&c) {
                            break;
                        }
                    }
                }
                Some(']') => {
                    for c in chars.by_ref() {
                        if c == '\x07' {
                            break;
                        }
                    }
                }
                _ => {}
            },
            '\r' => {}
            other => out.push(other),
        }
    }
    out
}
