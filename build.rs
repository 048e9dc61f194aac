fn main() {
    // sqlx::migrate! embeds the migration files; without this a new file may not be picked up.
    println!("cargo:rerun-if-changed=migrations");
}
