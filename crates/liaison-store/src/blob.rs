//! Files (photos, evidence, exports) in the data folder, content-addressed by SHA-256. A write is
//! durable before it is acknowledged: temp file -> fsync -> rename -> fsync the directory. The database
//! row that refers to a file is written only after `put` returns.

use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

#[derive(Debug, Clone)]
pub struct Blobs {
    root: PathBuf,
}

fn valid(hash: &str) -> bool {
    hash.len() == 64
        && hash
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

fn sync_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::File::open(dir)?.sync_all()
}

impl Blobs {
    /// Files live in `<data_dir>/files/ab/cd/<sha256>`.
    pub fn new(data_dir: &Path) -> Blobs {
        Blobs {
            root: data_dir.join("files"),
        }
    }

    fn path(&self, hash: &str) -> PathBuf {
        self.root.join(&hash[..2]).join(&hash[2..4]).join(hash)
    }

    /// Stores the bytes (once: the same content is the same file) and returns their SHA-256.
    pub fn put_blocking(&self, bytes: &[u8]) -> std::io::Result<String> {
        let hash = hex::encode(Sha256::digest(bytes));
        let path = self.path(&hash);
        if path.exists() {
            return Ok(hash);
        }
        let dir = path
            .parent()
            .ok_or_else(|| std::io::Error::other("no parent"))?
            .to_path_buf();
        std::fs::create_dir_all(&dir)?;
        let tmp_dir = self.root.join("tmp");
        std::fs::create_dir_all(&tmp_dir)?;
        // unique per write: the same content may be stored by two requests at once
        static SEQ: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let tmp = tmp_dir.join(format!("{hash}.{}.{n}", std::process::id()));
        {
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(bytes)?;
            f.sync_all()?;
        }
        std::fs::rename(&tmp, &path)?;
        sync_dir(&dir)?;
        Ok(hash)
    }

    pub fn get_blocking(&self, hash: &str) -> std::io::Result<Option<Vec<u8>>> {
        if !valid(hash) {
            return Ok(None);
        }
        match std::fs::read(self.path(hash)) {
            Ok(b) => Ok(Some(b)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    pub async fn put(&self, bytes: Vec<u8>) -> std::io::Result<String> {
        let me = self.clone();
        tokio::task::spawn_blocking(move || me.put_blocking(&bytes))
            .await
            .map_err(std::io::Error::other)?
    }

    pub async fn get(&self, hash: &str) -> std::io::Result<Option<Vec<u8>>> {
        let (me, hash) = (self.clone(), hash.to_owned());
        tokio::task::spawn_blocking(move || me.get_blocking(&hash))
            .await
            .map_err(std::io::Error::other)?
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_addressed_and_durable_layout() {
        let dir = std::env::temp_dir().join(format!("liaison-blobs-{}", std::process::id()));
        let b = Blobs::new(&dir);
        let h = b.put_blocking(b"photo bytes").unwrap();
        assert_eq!(h, hex::encode(Sha256::digest(b"photo bytes")));
        assert_eq!(
            b.put_blocking(b"photo bytes").unwrap(),
            h,
            "same content, same file"
        );
        assert_eq!(b.get_blocking(&h).unwrap().unwrap(), b"photo bytes");
        assert!(dir.join("files").join(&h[..2]).join(&h[2..4]).join(&h).exists());
        assert!(
            b.get_blocking("../../etc/passwd").unwrap().is_none(),
            "no path tricks"
        );
        assert!(b.get_blocking(&"0".repeat(64)).unwrap().is_none());
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn the_same_content_stored_at_once_by_many() {
        let dir = std::env::temp_dir().join(format!("liaison-blobs-race-{}", std::process::id()));
        let b = Blobs::new(&dir);
        let handles: Vec<_> = (0..8)
            .map(|_| {
                let b = b.clone();
                std::thread::spawn(move || b.put_blocking(b"one photo, eight requests"))
            })
            .collect();
        for h in handles {
            assert!(h.join().unwrap().is_ok());
        }
        let _ = std::fs::remove_dir_all(dir);
    }
}
