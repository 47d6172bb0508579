//! Opening a store directory: for writing (created when missing, under an
//! exclusive lock) or for reading (never created, never written by
//! RocksDB, under a shared lock, so several readers run at once and a
//! read-only disk or a full one still answers queries).
//!
//! A directory is a store only if storygraph made it (its lock or
//! generation file is there); an empty directory becomes one on the first
//! write; anything else is refused untouched, since RocksDB would otherwise
//! overwrite a user's file that happens to be called `IDENTITY` or `LOG`.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::Path;

use oxigraph::store::Store;

use super::{GraphStore, StoreError};

/// The file a storygraph process locks while it has the store open:
/// exclusively to write, shared to read.
const LOCK_FILE: &str = "storygraph.lock";
/// Written once a store's creation is complete (RocksDB's files, Oxigraph's
/// version, the ontology); its absence tells a reader that a killed
/// writer left the creation half done.
const CREATED_FILE: &str = "storygraph-created";
/// Files only a store storygraph made holds.
const MARKERS: &[&str] = &[LOCK_FILE, "storygraph-generation"];
/// What a bulk load leaves when it is killed before its commit: never part
/// of the database (RocksDB's own files are numbered), safe to delete
/// under the exclusive lock.
const BULK_PREFIX: &str = "bulk-";

/// The start of a temporary snapshot file's name (`snapshot/`).
/// The start of the projection snapshot's and image's temporary files.
const PROJECTION_TEMPORARY: &str = "storygraph-projection.";

/// Whether `path` is missing, an empty directory, a store, or neither.
enum Found {
    Missing,
    Empty,
    Store,
}

fn inspect(path: &Path) -> Result<Found, StoreError> {
    let io = |source: std::io::Error| StoreError::Open {
        path: path.to_owned(),
        source: source.into(),
    };
    match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Found::Missing),
        Err(e) => return Err(io(e)),
        Ok(meta) if !meta.is_dir() => {
            return Err(StoreError::NotADirectory {
                path: path.to_owned(),
            })
        }
        Ok(_) => {}
    }
    let mut names: Vec<String> = std::fs::read_dir(path)
        .map_err(io)?
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    if names.is_empty() {
        return Ok(Found::Empty);
    }
    if MARKERS.iter().any(|m| names.iter().any(|n| n == m)) {
        return Ok(Found::Store);
    }
    names.sort();
    let rocksdb = names.iter().any(|n| n == "CURRENT") && names.iter().any(|n| n == "IDENTITY");
    let shown: Vec<&str> = names.iter().take(3).map(String::as_str).collect();
    let more = match names.len() - shown.len() {
        0 => String::new(),
        n => format!(" and {n} more"),
    };
    let found = if rocksdb {
        format!(
            "a RocksDB database another program made ({}{more})",
            shown.join(", ")
        )
    } else {
        format!("other files ({}{more})", shown.join(", "))
    };
    Err(StoreError::NotAStore {
        path: path.to_owned(),
        found,
    })
}

/// Locks the store directory for this process: exclusively to write,
/// shared to read. `None` when a reader cannot even open the lock file (a
/// read-only disk: nobody can be writing there).
fn lock(path: &Path, write: bool) -> Result<Option<File>, StoreError> {
    let open_error = |source: std::io::Error| StoreError::Open {
        path: path.to_owned(),
        source: source.into(),
    };
    let opened = if write {
        OpenOptions::new()
            .create(true)
            .write(true)
            .truncate(false)
            .open(path.join(LOCK_FILE))
    } else {
        File::open(path.join(LOCK_FILE))
    };
    let file = match opened {
        Ok(file) => file,
        Err(_) if !write => return Ok(None),
        Err(e) if not_writable(&e) => {
            return Err(StoreError::NotWritable {
                path: path.to_owned(),
                source: e,
            })
        }
        Err(e) => return Err(open_error(e)),
    };
    let locked = if write {
        file.try_lock()
    } else {
        file.try_lock_shared()
    };
    match locked {
        Ok(()) => Ok(Some(file)),
        // Whoever holds it: a writer blocks a reader, any holder a writer.
        Err(TryLockError::WouldBlock) => Err(StoreError::Locked {
            path: path.to_owned(),
            writing: !write || holds_exclusively(path),
        }),
        Err(TryLockError::Error(e)) => Err(open_error(e)),
    }
}

/// Whether `error` says the disk or the directory cannot be written, which
/// leaves reading possible.
fn not_writable(error: &std::io::Error) -> bool {
    matches!(
        error.kind(),
        std::io::ErrorKind::ReadOnlyFilesystem | std::io::ErrorKind::PermissionDenied
    )
}

/// Whether the process holding the store's lock holds it to write: a
/// shared lock can be taken while only readers are there.
fn holds_exclusively(path: &Path) -> bool {
    let Ok(file) = File::open(path.join(LOCK_FILE)) else {
        return true;
    };
    matches!(file.try_lock_shared(), Err(TryLockError::WouldBlock))
}

/// Deletes what killed writers left: bulk loads' files (see
/// [`BULK_PREFIX`]) and half-written projection snapshots and images.
fn remove_leftovers(path: &Path) {
    let Ok(entries) = std::fs::read_dir(path) else {
        return;
    };
    for entry in entries.filter_map(|e| e.ok()) {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let bulk = name.starts_with(BULK_PREFIX) && name.ends_with(".sst");
        let projection = name.starts_with(PROJECTION_TEMPORARY) && name.ends_with(".tmp");
        if bulk || projection {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

impl GraphStore {
    /// Opens the store in `path` to write, creating it when `path` is
    /// missing or an empty directory.
    pub fn open(path: &Path) -> Result<GraphStore, StoreError> {
        if let Found::Missing = inspect(path)? {
            std::fs::create_dir_all(path).map_err(|source| StoreError::CreateDir {
                path: path.to_owned(),
                source,
            })?;
        }
        let lock = lock(path, true)?;
        remove_leftovers(path);
        let store = Store::open(path).map_err(|source| StoreError::Open {
            path: path.to_owned(),
            source,
        })?;
        let store = GraphStore {
            store,
            location: Some(path.to_owned()),
            _lock: lock.map(std::sync::Arc::new),
            write_log: Default::default(),
        };
        store.ensure_ontology()?;
        let created = path.join(CREATED_FILE);
        if !created.exists() {
            // Without it a later reader only finishes the creation again.
            let _ = std::fs::write(&created, b"");
        }
        Ok(store)
    }

    /// Opens the store in `path` to read: never creates one, and RocksDB
    /// writes nothing (the projection snapshot may still be refreshed, as
    /// a cache, where the disk allows).
    pub fn open_read_only(path: &Path) -> Result<GraphStore, StoreError> {
        match inspect(path)? {
            Found::Missing | Found::Empty => Err(StoreError::Missing {
                path: path.to_owned(),
            }),
            // A writer killed while it created the store left it half
            // made (no `CURRENT`, no column families, no version key: the
            // creation marker is missing), which a reader cannot open:
            // finish creating it (under the exclusive lock, so only when
            // no one else has it), then read.
            Found::Store => match GraphStore::open_reader(path) {
                Err(StoreError::Open { .. }) if !path.join(CREATED_FILE).exists() => {
                    drop(GraphStore::open(path)?);
                    GraphStore::open_reader(path)
                }
                opened => opened,
            },
        }
    }

    fn open_reader(path: &Path) -> Result<GraphStore, StoreError> {
        let lock = lock(path, false)?;
        let store = Store::open_read_only(path).map_err(|source| StoreError::Open {
            path: path.to_owned(),
            source,
        })?;
        Ok(GraphStore {
            store,
            location: Some(path.to_owned()),
            _lock: lock.map(std::sync::Arc::new),
            write_log: Default::default(),
        })
    }

    /// A throwaway store in memory.
    pub fn memory() -> Result<GraphStore, StoreError> {
        let store = GraphStore {
            store: Store::new()?,
            location: None,
            _lock: None,
            write_log: Default::default(),
        };
        store.ensure_ontology()?;
        Ok(store)
    }
}
