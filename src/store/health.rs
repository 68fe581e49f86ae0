//! Whether the database answers at all, for `/healthz`.

use super::{Result, Store};

impl Store {
    /// Runs a trivial query on a reader connection: fails if the database cannot be read.
    pub fn ping(&self) -> Result<()> {
        self.read(|c| {
            c.query_row("SELECT 1", [], |r| r.get::<_, i64>(0))
                .map(drop)
        })
    }
}
