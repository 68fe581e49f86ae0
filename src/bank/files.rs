//! Finding and reading bank files without trusting the file system: each folder is read
//! once, by its real path (a link back into a folder already read is a loop, reported once);
//! only regular files are read (never a FIFO or a device such as `/dev/zero`), each up to
//! [`MAX_FILE_BYTES`]; text must be UTF-8 (a bad byte is reported with its line), and a
//! byte-order mark is dropped, in TOML and JSON alike. Every failure is a [`Problem`] naming
//! the path at fault, so the loader never hangs, panics or runs out of memory here.

use std::collections::HashSet;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use super::load::Problem;

/// The largest bank file read: a generous hundred times the biggest shipped file.
pub const MAX_FILE_BYTES: u64 = 8 << 20;

/// Bank files (`*.toml`, `*.json`) under `paths` (files or folders), in a stable sorted
/// order, each file once, with a problem for everything that could not be walked.
pub fn find(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<Problem>) {
    let mut walk = Walk::default();
    for path in paths {
        let (files, problems) = (walk.matched, walk.problems.len());
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => walk.folder(path),
            Ok(_) => walk.file(path),
            Err(e) => walk.problem(path, format!("cannot read: {e}")),
        }
        if walk.matched == files && walk.problems.len() == problems {
            walk.problem(path, "no bank files (*.toml, *.json) found here".into());
        }
    }
    (walk.files, walk.problems)
}

#[derive(Default)]
struct Walk {
    files: Vec<PathBuf>,
    problems: Vec<Problem>,
    /// Real paths of the folders and files already taken.
    seen: HashSet<PathBuf>,
    /// Bank files met, counting those already taken by another path.
    matched: usize,
}

impl Walk {
    fn problem(&mut self, path: &Path, message: String) {
        self.problems.push(Problem {
            file: path.to_owned(),
            line: None,
            question: None,
            message,
        });
    }

    /// The real path, the first time it is met; `None` (said why, if it is a problem) after.
    fn first_visit(&mut self, path: &Path) -> Option<PathBuf> {
        match std::fs::canonicalize(path) {
            Ok(real) => self.seen.insert(real.clone()).then_some(real),
            Err(e) => {
                self.problem(path, format!("cannot read: {e}"));
                None
            }
        }
    }

    fn folder(&mut self, path: &Path) {
        if let Ok(real) = std::fs::canonicalize(path)
            && self.seen.contains(&real)
        {
            let message = format!(
                "leads back to the folder {}, which is already read (a link loop?): skipped",
                real.display()
            );
            return self.problem(path, message);
        }
        if self.first_visit(path).is_none() {
            return;
        }
        let entries = match std::fs::read_dir(path) {
            Ok(entries) => entries,
            Err(e) => return self.problem(path, format!("cannot read this folder: {e}")),
        };
        let mut paths = Vec::new();
        for entry in entries {
            match entry {
                Ok(entry) => paths.push(entry.path()),
                Err(e) => return self.problem(path, format!("cannot read this folder: {e}")),
            }
        }
        paths.sort();
        for entry in paths {
            match std::fs::metadata(&entry) {
                Ok(meta) if meta.is_dir() => self.folder(&entry),
                _ if !is_bank_file(&entry) => {}
                Ok(_) => self.file(&entry),
                Err(e) => self.problem(&entry, format!("cannot read: {e}")),
            }
        }
    }

    /// A file named directly or found in a folder; the same real file is taken once.
    fn file(&mut self, path: &Path) {
        self.matched += 1;
        if self.first_visit(path).is_some() {
            self.files.push(path.to_owned());
        }
    }
}

fn is_bank_file(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("toml" | "json")
    )
}

/// A bank file's text: a regular file of at most [`MAX_FILE_BYTES`], in UTF-8, without a
/// byte-order mark.
pub fn read(path: &Path) -> Result<String, Problem> {
    let problem = |line: Option<usize>, message: String| Problem {
        file: path.to_owned(),
        line,
        question: None,
        message,
    };
    let cannot = |e: std::io::Error| problem(None, format!("cannot read: {e}"));
    // Opening a FIFO for reading waits for a writer: look before opening.
    let meta = std::fs::metadata(path).map_err(cannot)?;
    if !meta.is_file() {
        return Err(problem(None, "is not a regular file: skipped".into()));
    }
    let file = std::fs::File::open(path).map_err(cannot)?;
    let too_big = |size: u64| {
        problem(
            None,
            format!(
                "is {} KiB, more than the {} KiB a bank file may hold: split it",
                size.div_ceil(1024),
                MAX_FILE_BYTES / 1024
            ),
        )
    };
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_big(meta.len()));
    }
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_big(bytes.len() as u64));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        problem(Some(line), "is not UTF-8 text here".into())
    })?;
    Ok(without_bom(text))
}

/// The text without a leading byte-order mark (editors on Windows add one).
pub fn without_bom(text: String) -> String {
    match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_owned(),
        None => text,
    }
}
