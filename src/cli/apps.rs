//! `flows app …`: client applications of the Flow Execution API, through the same engine
//! acts as the console (same checks, same audit entries, actor `cli`).

use crate::config::Settings;
use crate::engine::{
    Actor, ApplicationDraft, ApplicationRefusal, Engine, EngineError, MAX_STARTS_PER_MINUTE,
};
use crate::startup::Application;
use crate::store::ApplicationRow;
use clap::{Subcommand, ValueEnum};

#[derive(Subcommand)]
pub enum AppCommand {
    /// Register an application; prints its id (the `applicationId` its client sends), and
    /// with --require-proof its key on a second line, shown this once.
    Create {
        #[arg(long)]
        name: String,
        /// Where a finished flow sends the person (https://…, or http://localhost…).
        #[arg(long)]
        return_url: String,
        /// An origin whose browsers may call the API (repeat for several), e.g. https://app.example.
        #[arg(long = "origin")]
        origins: Vec<String>,
        /// New flows per minute its clients may start through the API, beside the
        /// per-address limit (0: none of its own).
        #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u32).range(0..=i64::from(MAX_STARTS_PER_MINUTE)))]
        starts_per_minute: u32,
        /// Its clients must sign every call with its key (the Flows-Client-Proof header).
        #[arg(long)]
        require_proof: bool,
    },
    /// Change an application (by id or name); what is not given stays as it is.
    Update {
        id_or_name: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        return_url: Option<String>,
        /// Replaces all its origins (repeat for several).
        #[arg(long = "origin", conflicts_with = "no_origins")]
        origins: Vec<String>,
        /// No browser may call the API for it any more.
        #[arg(long)]
        no_origins: bool,
        #[arg(long, value_parser = clap::value_parser!(u32).range(0..=i64::from(MAX_STARTS_PER_MINUTE)))]
        starts_per_minute: Option<u32>,
    },
    /// Require a proof from its clients with a new key, printed this once; a key it had
    /// before keeps working for a day.
    NewKey { id_or_name: String },
    /// Stop requiring a proof; its keys stop working at once.
    DropProof { id_or_name: String },
    /// List the applications: id, name, return URL, origins, new flows a minute, proof.
    List,
    /// Delete an application by id or name.
    Delete { id_or_name: String },
    /// Whether the API starts flows for clients that send no applicationId.
    AnonymousStarts {
        #[arg(value_enum)]
        choice: Choice,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Choice {
    Allow,
    Refuse,
}

/// What the engine answered, or the error or refusal in words.
fn answered<T>(
    answer: Result<Result<T, ApplicationRefusal>, EngineError>,
    id_or_name: &str,
) -> Result<T, String> {
    answer
        .map_err(|e| e.to_string())?
        .map_err(|r| refused(r, id_or_name))
}

fn refused(refusal: ApplicationRefusal, id_or_name: &str) -> String {
    match refusal {
        ApplicationRefusal::Gone => format!("no application {id_or_name:?}"),
        ApplicationRefusal::Fields(problems) => problems
            .into_iter()
            .map(|(field, message)| format!("--{}: {message}", field.replace('_', "-")))
            .collect::<Vec<_>>()
            .join("; "),
    }
}

async fn named(engine: &Engine, id_or_name: &str) -> Result<ApplicationRow, String> {
    engine
        .application_named(id_or_name)
        .await
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("no application {id_or_name:?}"))
}

pub async fn run(command: AppCommand, settings: &Settings) -> Result<(), String> {
    let engine = Application::engine_only(settings)
        .await
        .map_err(|e| e.to_string())?;
    let actor = Actor::cli();
    // What the command says on its standard output, a line each.
    let said = match command {
        AppCommand::Create {
            name,
            return_url,
            origins,
            starts_per_minute,
            require_proof,
        } => {
            let draft = ApplicationDraft {
                name,
                return_url,
                origins,
                starts_per_minute,
            };
            let registered = answered(
                engine
                    .register_application(&draft, require_proof, &actor)
                    .await,
                &draft.name,
            )?;
            match registered.key {
                Some(key) => format!("{}\n{key}", registered.app.id),
                None => registered.app.id,
            }
        }
        AppCommand::Update {
            id_or_name,
            name,
            return_url,
            origins,
            no_origins,
            starts_per_minute,
        } => {
            let app = named(&engine, &id_or_name).await?;
            let draft = ApplicationDraft {
                name: name.unwrap_or(app.name),
                return_url: return_url.unwrap_or(app.return_url),
                origins: match (origins.is_empty(), no_origins) {
                    (_, true) => Vec::new(),
                    (true, false) => app.allowed_origins,
                    (false, false) => origins,
                },
                starts_per_minute: starts_per_minute.unwrap_or(app.starts_per_minute),
            };
            answered(
                engine.change_application(&app.id, &draft, &actor).await,
                &id_or_name,
            )?;
            format!("application {} changed", draft.name.trim())
        }
        AppCommand::NewKey { id_or_name } => {
            let app = named(&engine, &id_or_name).await?;
            let (_, key) = answered(
                engine.new_application_key(&app.id, &actor).await,
                &id_or_name,
            )?;
            key
        }
        AppCommand::DropProof { id_or_name } => {
            let app = named(&engine, &id_or_name).await?;
            answered(
                engine.drop_application_proof(&app.id, &actor).await,
                &id_or_name,
            )?;
            format!("application {} no longer requires a proof", app.name)
        }
        AppCommand::List => {
            let apps = engine.applications().await.map_err(|e| e.to_string())?;
            let lines: Vec<String> = apps
                .iter()
                .map(|app| {
                    format!(
                        "{}\t{}\t{}\t{}\t{}\t{}",
                        app.id,
                        app.name,
                        app.return_url,
                        app.allowed_origins.join(" "),
                        app.starts_per_minute,
                        if app.proof.is_some() { "proof" } else { "-" },
                    )
                })
                .collect();
            if lines.is_empty() {
                return Ok(());
            }
            lines.join("\n")
        }
        AppCommand::Delete { id_or_name } => {
            let app = named(&engine, &id_or_name).await?;
            answered(
                engine.delete_application(&app.id, &actor).await,
                &id_or_name,
            )?;
            format!("application {id_or_name} deleted")
        }
        AppCommand::AnonymousStarts { choice } => {
            let require = matches!(choice, Choice::Refuse);
            engine
                .save_api_access(require, &actor)
                .await
                .map_err(|e| e.to_string())?;
            format!(
                "the API {} flows for clients that send no applicationId",
                if require {
                    "no longer starts"
                } else {
                    "starts"
                }
            )
        }
    };
    println!("{said}");
    Ok(())
}
