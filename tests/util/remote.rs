//! Real SPARQL servers on loopback for the remote-store tests, each with a
//! throwaway database, stopped when dropped: the Oxigraph server from PyPI
//! (in the test venv `.ci/provision` makes) and Debian's Virtuoso.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use super::Output;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Oxigraph,
    Virtuoso,
}

/// A running server.
pub struct RemoteServer {
    pub kind: Kind,
    child: Option<Child>,
    dir: tempfile::TempDir,
    http_port: u16,
    sql_port: u16,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl RemoteServer {
    pub fn start(kind: Kind) -> RemoteServer {
        let dir = tempfile::tempdir().unwrap();
        let mut server = RemoteServer {
            kind,
            child: None,
            dir,
            http_port: free_port(),
            sql_port: free_port(),
        };
        server.launch();
        if kind == Kind::Virtuoso {
            let out = Command::new("isql-vt")
                .arg(format!("127.0.0.1:{}", server.sql_port))
                .args(["dba", "dba", "exec=GRANT SPARQL_UPDATE TO \"SPARQL\";"])
                .output()
                .unwrap();
            assert!(out.status.success(), "{out:?}");
        }
        server
    }

    /// Starts the server on its database and port, and waits until it
    /// answers a query.
    fn launch(&mut self) {
        let dir = self.dir.path();
        let mut command = match self.kind {
            Kind::Oxigraph => {
                let program = super::venv_program("oxigraph");
                assert!(
                    program.exists(),
                    "{} is missing: run .ci/provision (it installs oxigraph from PyPI)",
                    program.display()
                );
                let mut command = Command::new(program);
                command
                    .arg("serve")
                    .arg("--location")
                    .arg(dir.join("db"))
                    .args(["--bind", &format!("127.0.0.1:{}", self.http_port)]);
                command
            }
            Kind::Virtuoso => {
                // Debian's virtuoso.ini, its database and both ports moved.
                let ini = std::fs::read_to_string("/etc/virtuoso-opensource-7/virtuoso.ini")
                    .expect("Virtuoso is not installed: run .ci/provision (it installs virtuoso-opensource)")
                    .replace("/var/lib/virtuoso-opensource-7/db", &dir.display().to_string())
                    .lines()
                    .map(|line| {
                        let key = line.split('=').next().unwrap_or("").trim();
                        match (key, line.contains("1111"), line.contains("8890")) {
                            ("ServerPort", true, _) => {
                                format!("ServerPort = 127.0.0.1:{}", self.sql_port)
                            }
                            ("ServerPort", _, true) => {
                                format!("ServerPort = 127.0.0.1:{}", self.http_port)
                            }
                            _ => line.to_owned(),
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("\n");
                std::fs::write(dir.join("virtuoso.ini"), ini).unwrap();
                // After a SIGKILL the lock file stays, and Virtuoso refuses
                // to start until it is gone (as an operator would do).
                let _ = std::fs::remove_file(dir.join("virtuoso.lck"));
                let mut command = Command::new("virtuoso-t");
                command
                    .args(["+foreground", "+configfile"])
                    .arg(dir.join("virtuoso.ini"))
                    .current_dir(dir);
                command
            }
        };
        let child = command
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        self.child = Some(child);
        for _ in 0..600 {
            if self
                .curl_query("ASK {}", "application/sparql-results+json")
                .is_some()
            {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("{:?} did not answer within 60 s", self.kind);
    }

    /// SIGKILL: no chance to finish anything.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts again on the same database and port.
    pub fn restart(&mut self) {
        self.kill();
        self.launch();
    }

    pub fn query_url(&self) -> String {
        match self.kind {
            Kind::Oxigraph => format!("http://127.0.0.1:{}/query", self.http_port),
            Kind::Virtuoso => format!("http://127.0.0.1:{}/sparql", self.http_port),
        }
    }

    pub fn update_url(&self) -> String {
        match self.kind {
            Kind::Oxigraph => format!("http://127.0.0.1:{}/update", self.http_port),
            Kind::Virtuoso => self.query_url(),
        }
    }

    pub fn graph_store_url(&self) -> String {
        format!("http://127.0.0.1:{}/store", self.http_port)
    }

    /// `--endpoint` and `--update-endpoint` for this server.
    pub fn args(&self) -> Vec<String> {
        vec![
            "--endpoint".into(),
            self.query_url(),
            "--update-endpoint".into(),
            self.update_url(),
        ]
    }

    /// A query sent by curl (not by storygraph): its body, if answered 200.
    pub fn curl_query(&self, query: &str, accept: &str) -> Option<String> {
        let out = Command::new("curl")
            .args(["-s", "-m", "30", "-w", "\n%{http_code}", "-G"])
            .arg(self.query_url())
            .args(["-H", &format!("Accept: {accept}")])
            .arg("--data-urlencode")
            .arg(format!("query={query}"))
            .output()
            .expect("curl is missing: run .ci/provision");
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        let (body, code) = text.rsplit_once('\n')?;
        (code == "200").then(|| body.to_owned())
    }

    /// An update sent by curl (another program's write), which must succeed.
    pub fn update(&self, update: &str) {
        let sent = Command::new("curl")
            .args(["-s", "-f", "-o", "/dev/null"])
            .arg(self.update_url())
            .arg("--data-urlencode")
            .arg(format!("update={update}"))
            .status()
            .expect("curl is missing: run .ci/provision");
        assert!(sent.success(), "{:?} refused {update}", self.kind);
    }

    /// The rows of a SELECT (by curl), each variable's value as text.
    pub fn select(&self, query: &str) -> Vec<serde_json::Map<String, serde_json::Value>> {
        let body = self
            .curl_query(query, "application/sparql-results+json")
            .unwrap_or_else(|| panic!("{:?} refused {query}", self.kind));
        let json: serde_json::Value = serde_json::from_str(&body).unwrap();
        json["results"]["bindings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|row| {
                row.as_object()
                    .unwrap()
                    .iter()
                    .map(|(k, v)| (k.clone(), v["value"].clone()))
                    .collect()
            })
            .collect()
    }

    /// The number of quads of each article graph at the server.
    pub fn article_sizes(&self) -> std::collections::BTreeMap<String, u64> {
        self.graph_sizes("")
    }

    /// The quads of each article graph that holds its seal, its content
    /// digest (what storygraph counts as an article).
    pub fn sealed_article_sizes(&self) -> std::collections::BTreeMap<String, u64> {
        self.graph_sizes(
            "FILTER EXISTS { GRAPH ?g { ?g <https://w3id.org/storygraph/ontology#contentDigest> ?d } }",
        )
    }

    fn graph_sizes(&self, filter: &str) -> std::collections::BTreeMap<String, u64> {
        self.select(&format!(
            "SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), \"https://w3id.org/storygraph/article/\")) {filter} }} GROUP BY ?g",
        ))
        .into_iter()
        .map(|row| {
            (
                row["g"].as_str().unwrap().to_owned(),
                row["n"].as_str().unwrap().parse().unwrap(),
            )
        })
        .collect()
    }
}

impl Drop for RemoteServer {
    fn drop(&mut self) {
        self.kill();
    }
}

/// storygraph pointed at a remote store, with a local copy of its own.
pub struct RemoteClient {
    args: Vec<String>,
    cache: tempfile::TempDir,
}

impl RemoteClient {
    pub fn new(server: &RemoteServer) -> RemoteClient {
        RemoteClient::with_args(server.args())
    }

    pub fn with_args(args: Vec<String>) -> RemoteClient {
        RemoteClient {
            args,
            cache: tempfile::tempdir().unwrap(),
        }
    }

    /// Runs storygraph with the endpoint options before `args`; no local
    /// store exists (`STORYGRAPH_STORE` names a missing directory).
    pub fn run(&self, args: &[&str]) -> Output {
        let mut all: Vec<&str> = self.args.iter().map(String::as_str).collect();
        all.extend(args);
        let missing = self.cache.path().join("no-local-store");
        super::run_binary_with_env(
            &missing,
            &all,
            &[("STORYGRAPH_CACHE", self.cache.path().to_str().unwrap())],
        )
    }

    pub fn cache_dir(&self) -> PathBuf {
        self.cache.path().to_owned()
    }
}
