//! Where a command's store is: the local store directory (or memory), or
//! a remote SPARQL store (`--endpoint`), whose graph commands run on its
//! local copy and whose writes go through that copy to the remote.

use std::path::PathBuf;

use storygraph::remote::{PushReport, RemoteConfig, Replica, SyncReport};
use storygraph::store::GraphStore;
use storygraph::Result;

use crate::args::Args;
use crate::outcome::Outcome;

/// The store a command works on.
pub enum Backend {
    Local {
        path: Option<PathBuf>,
        memory: bool,
    },
    Remote {
        replica: Box<Replica>,
        refresh: bool,
    },
}

/// Opens the shell's local store again, for writing or for reading.
pub struct ShellReopen {
    path: Option<PathBuf>,
}

impl ShellReopen {
    pub fn open(&self, access: Access) -> Result<GraphStore> {
        open_store(self.path.clone(), false, access)
    }
}

/// What a command does with the store.
#[derive(Clone, Copy)]
pub enum Access {
    Read,
    Write,
}

impl Backend {
    pub fn from_args(args: &Args) -> Result<Backend> {
        let remote = &args.remote;
        let Some(endpoint) = &remote.endpoint else {
            return Ok(Backend::Local {
                path: args.store.clone(),
                memory: args.memory,
            });
        };
        let mut config = RemoteConfig::new(
            endpoint,
            remote.update_endpoint.as_deref(),
            remote.graph_store.as_deref(),
            &remote.header,
        )?;
        if remote.bulk_load && config.graph_store.is_none() {
            // Checked here, not by clap: STORYGRAPH_BULK_LOAD set for a
            // remote must not break commands on a local store.
            return Err(storygraph::remote::RemoteError::Config(
                "--bulk-load posts to the Graph Store endpoint: add --graph-store URL (Oxigraph server: http://HOST:7878/store)".into(),
            )
            .into());
        }
        config.bulk_load = remote.bulk_load;
        let cache = remote.cache.clone().unwrap_or_else(|| {
            dirs::cache_dir()
                .unwrap_or_else(|| PathBuf::from("."))
                .join("storygraph")
                .join("remote")
        });
        Ok(Backend::Remote {
            replica: Box::new(Replica::open(config, &cache)?),
            refresh: remote.refresh,
        })
    }

    /// The store to read: the local one, or the remote's copy brought up
    /// to date.
    pub fn reader(&mut self) -> Result<GraphStore> {
        match self {
            Backend::Local { path, memory } => open_store(path.clone(), *memory, Access::Read),
            Backend::Remote { replica, refresh } => {
                report_sync(&replica.sync(std::mem::take(refresh))?, replica);
                Ok(replica.store().clone())
            }
        }
    }

    /// The store opened as `access` asks, for the shell and `serve`: a
    /// remote's copy is only read (writes go to the remote by `ingest`,
    /// `remove`, `update`, and would be lost in a copy).
    pub fn open(self, access: Access) -> Result<GraphStore> {
        match self {
            Backend::Local { path, memory } => open_store(path, memory, access),
            Backend::Remote {
                mut replica,
                refresh,
            } => {
                report_sync(&replica.sync(refresh)?, &replica);
                Ok((*replica).into_read_only()?)
            }
        }
    }

    /// The shell's store. A local store on disk is opened read-only, with
    /// how to open it for writing at the session's first write: a session
    /// that only reads shares the store with other commands, and RocksDB
    /// does not resume merging a fresh ingest's files under it (on two
    /// cores that was most of a path script's CPU). Else as `open(Write)`.
    pub fn open_for_shell(self) -> Result<(GraphStore, Option<ShellReopen>)> {
        if let Backend::Local {
            path,
            memory: false,
        } = &self
        {
            // A store not made yet (or not readable) is opened as before.
            if let Ok(store) = open_store(path.clone(), false, Access::Read) {
                let reopen = ShellReopen { path: path.clone() };
                return Ok((store, Some(reopen)));
            }
        }
        Ok((self.open(Access::Write)?, None))
    }

    /// Runs a command that writes: on the local store (then its search
    /// index is brought up to date, whatever the outcome: a stream that
    /// stopped half-way wrote its first part), or on the remote's copy and
    /// then at the remote.
    pub fn write(&mut self, write: impl FnOnce(&GraphStore) -> Result<Outcome>) -> Result<Outcome> {
        match self {
            Backend::Local { path, memory } => {
                let store = open_store(path.clone(), *memory, Access::Write)?;
                let outcome = write(&store);
                crate::commands::search::refresh_after_write(&store);
                outcome
            }
            Backend::Remote { replica, refresh } => {
                if std::mem::take(refresh) {
                    report_sync(&replica.sync(true)?, replica);
                }
                let (outcome, pushed) = replica.write(write)?;
                report_push(&pushed, replica);
                crate::commands::search::refresh_after_write(replica.store());
                outcome
            }
        }
    }
}

fn report_sync(report: &SyncReport, replica: &Replica) {
    if report.rebuilt {
        eprintln!(
            "copied {} quads of {} in {:.2} s ({} requests): {}",
            report.quads,
            replica.endpoint().config().query,
            report.seconds,
            report.requests,
            report.reason
        );
    }
}

fn report_push(report: &PushReport, replica: &Replica) {
    if report.articles_written + report.articles_removed == 0 && report.quads_sent == 0 {
        return;
    }
    eprintln!(
        "sent to {}: {} article{} written, {} removed, {} quads in {} requests, {:.2} s; {}",
        replica.endpoint().config().update,
        report.articles_written,
        if report.articles_written == 1 {
            ""
        } else {
            "s"
        },
        report.articles_removed,
        report.quads_sent,
        report.requests,
        report.seconds,
        report.method
    );
}

/// The default store: `STORYGRAPH_STORE` (read by clap), else the platform's
/// data directory (`~/.local/share/storygraph/store` on Linux).
pub fn default_store_path() -> PathBuf {
    dirs::data_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("storygraph")
        .join("store")
}

pub fn open_store(path: Option<PathBuf>, memory: bool, access: Access) -> Result<GraphStore> {
    if memory {
        return Ok(GraphStore::memory()?);
    }
    let path = path.unwrap_or_else(default_store_path);
    Ok(match access {
        Access::Read => GraphStore::open_read_only(&path)?,
        Access::Write => GraphStore::open(&path)?,
    })
}
