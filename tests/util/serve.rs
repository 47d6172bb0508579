//! A `storygraph serve` started on a free loopback port for a test, and
//! curl as its client.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use super::{root, TestStore};

/// A running `storygraph serve`, stopped by SIGTERM when dropped.
pub struct Server {
    child: Child,
    pub base: String,
    stderr: Option<BufReader<std::process::ChildStderr>>,
}

impl Server {
    pub fn start(store: &TestStore, args: &[&str]) -> Server {
        let mut command = Command::new(env!("CARGO_BIN_EXE_storygraph"));
        command
            .arg("serve")
            .args(["--bind", "127.0.0.1:0"])
            .args(args)
            .env("STORYGRAPH_STORE", store.store_dir())
            .current_dir(root())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        let mut child = command.spawn().unwrap();
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let mut said = String::new();
        let base = loop {
            let mut line = String::new();
            if stderr.read_line(&mut line).unwrap() == 0 {
                let _ = child.wait();
                panic!("serve ended before listening:\n{said}");
            }
            said.push_str(&line);
            if let Some(at) = line.find("at http://") {
                let url = line[at + 3..].split_whitespace().next().unwrap();
                break url.trim_end_matches("/sparql").to_owned();
            }
        };
        Server {
            child,
            base,
            stderr: Some(stderr),
        }
    }

    /// Sends SIGTERM and returns the exit code and what was left on stderr.
    pub fn stop(mut self) -> (i32, String) {
        self.terminate()
    }

    fn terminate(&mut self) -> (i32, String) {
        use nix::sys::signal::{kill, Signal};
        use nix::unistd::Pid;
        let pid = Pid::from_raw(i32::try_from(self.child.id()).unwrap());
        let _ = kill(pid, Signal::SIGTERM);
        let status = self.child.wait().unwrap();
        let mut rest = String::new();
        if let Some(mut stderr) = self.stderr.take() {
            let _ = std::io::Read::read_to_string(&mut stderr, &mut rest);
        }
        (status.code().unwrap_or(-1), rest)
    }

    /// curl: (status, content type, body).
    pub fn curl(&self, path: &str, extra: &[&str]) -> (u16, String, String) {
        let out = Command::new("curl")
            .args(["-sS", "-o", "-", "-w", "\n%{http_code} %{content_type}"])
            .args(extra)
            .arg(format!("{}{path}", self.base))
            .output()
            .expect("curl is provisioned by .ci/provision");
        assert!(
            out.status.success(),
            "curl: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).unwrap();
        let (body, status_line) = text.rsplit_once('\n').unwrap();
        let (status, content_type) = status_line.split_once(' ').unwrap();
        (
            status.parse().unwrap(),
            content_type.to_owned(),
            body.to_owned(),
        )
    }

    pub fn get(&self, path: &str, accept: &str) -> (u16, String, String) {
        self.curl(path, &["-H", &format!("Accept: {accept}")])
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if self.stderr.is_some() {
            self.terminate();
        }
    }
}

/// `?query=` with the text URL-encoded.
pub fn query_url(text: &str) -> String {
    let encoded: String = form_encode(text);
    format!("/sparql?query={encoded}")
}

pub fn form_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
