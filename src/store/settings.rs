use super::{Store, StoreError, on_db};

impl Store {
    /// Returns the named secret, creating it with `generate` the first time. Instances that
    /// share a database race to create it; the first insert wins and everyone reads it back.
    pub async fn secret_or_init(
        &self,
        name: &'static str,
        generate: impl FnOnce() -> String,
    ) -> Result<String, StoreError> {
        const INSERT: &str =
            "INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING";
        const SELECT: &str = "SELECT value FROM settings WHERE name = $1";
        let value = generate();
        on_db!(self, write p => {
            sqlx::query(INSERT).bind(name).bind(&value).execute(p).await?;
            let stored: (String,) = sqlx::query_as(SELECT).bind(name).fetch_one(p).await?;
            Ok(stored.0)
        })
    }
}
