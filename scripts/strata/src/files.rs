//! Generated, committed files (`snapshots/`, `interfaces/`): compare with what
//! is on disk, or write them (`--bless`).

use std::path::Path;

use serde::Serialize;

use crate::diff::line_diff;
use crate::error::{Error, Result};

/// Diff lines shown per stale file.
const DIFF_LINES: usize = 40;

/// A file `strata` generates, with its path relative to the workspace root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Path relative to the workspace root, with `/` separators.
    pub path: String,
    /// Full contents.
    pub content: String,
}

/// Why a committed file does not match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StaleReason {
    /// Not on disk.
    Missing,
    /// On disk with other contents.
    Different,
    /// On disk, generated earlier, but no longer produced (e.g. a removed contract).
    Orphan,
}

/// A committed file that is out of date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StaleFile {
    /// Path relative to the workspace root.
    pub path: String,
    /// Why.
    pub reason: StaleReason,
    /// A short diff from the committed to the expected contents.
    pub diff: String,
}

/// Compares `files` with the disk under `root`; `orphans` are files that
/// should no longer exist.
pub fn compare(root: &Path, files: &[GeneratedFile], orphans: &[String]) -> Vec<StaleFile> {
    let mut stale = Vec::new();
    for file in files {
        match std::fs::read_to_string(root.join(&file.path)) {
            Ok(committed) if committed == file.content => {}
            Ok(committed) => stale.push(StaleFile {
                path: file.path.clone(),
                reason: StaleReason::Different,
                diff: line_diff(&committed, &file.content, DIFF_LINES),
            }),
            Err(_) => stale.push(StaleFile {
                path: file.path.clone(),
                reason: StaleReason::Missing,
                diff: String::new(),
            }),
        }
    }
    for path in orphans {
        stale.push(StaleFile {
            path: path.clone(),
            reason: StaleReason::Orphan,
            diff: String::new(),
        });
    }
    stale
}

/// Writes `files` under `root` (only those whose contents change) and deletes
/// `orphans`; returns the paths touched.
///
/// # Errors
/// On any I/O error.
pub fn write(root: &Path, files: &[GeneratedFile], orphans: &[String]) -> Result<Vec<String>> {
    let mut touched = Vec::new();
    for file in files {
        let path = root.join(&file.path);
        if std::fs::read_to_string(&path).is_ok_and(|c| c == file.content) {
            continue;
        }
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| Error::io("creating", dir, e))?;
        }
        std::fs::write(&path, &file.content).map_err(|e| Error::io("writing", &path, e))?;
        touched.push(file.path.clone());
    }
    for orphan in orphans {
        let path = root.join(orphan);
        std::fs::remove_file(&path).map_err(|e| Error::io("removing", &path, e))?;
        touched.push(orphan.clone());
    }
    Ok(touched)
}

/// `dir/name` as a root-relative path string.
pub fn rel(dir: &str, name: &str) -> String {
    format!("{dir}/{name}")
}

/// Files directly in `dir` (names only, sorted); empty if it does not exist.
pub fn list_dir(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(std::result::Result::ok)
                .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                .filter_map(|e| e.file_name().into_string().ok())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// A scratch directory for tests.
#[cfg(test)]
pub(crate) fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("strata-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compare_reports_missing_different_and_orphaned_files_and_write_fixes_them() {
        let root = temp_dir("files");
        std::fs::create_dir_all(root.join("snapshots")).unwrap();
        std::fs::write(root.join("snapshots/a.txt"), "old\n").unwrap();
        std::fs::write(root.join("snapshots/gone.txt"), "x\n").unwrap();
        let files = [
            GeneratedFile { path: "snapshots/a.txt".into(), content: "new\n".into() },
            GeneratedFile { path: "snapshots/b.txt".into(), content: "b\n".into() },
        ];
        let orphans = ["snapshots/gone.txt".to_owned()];
        let stale = compare(&root, &files, &orphans);
        let reasons: Vec<_> = stale.iter().map(|s| (s.path.as_str(), s.reason)).collect();
        assert_eq!(
            reasons,
            [
                ("snapshots/a.txt", StaleReason::Different),
                ("snapshots/b.txt", StaleReason::Missing),
                ("snapshots/gone.txt", StaleReason::Orphan),
            ]
        );
        assert!(stale[0].diff.contains("- old") && stale[0].diff.contains("+ new"));

        let touched = write(&root, &files, &orphans).unwrap();
        assert_eq!(touched.len(), 3);
        assert_eq!(compare(&root, &files, &[]), []);
        assert_eq!(write(&root, &files, &[]).unwrap(), Vec::<String>::new());
        assert_eq!(list_dir(&root.join("snapshots")), ["a.txt", "b.txt"]);
        std::fs::remove_dir_all(&root).unwrap();
    }
}
