//! `flows extension …`: the services flows call (`CallExtension`), through the same engine
//! acts as the console and the management API (same checks, same audit entries, actor `cli`).

use crate::config::Settings;
use crate::domain::extension::MAX_TIMEOUT_MS;
use crate::engine::{Actor, NewExtension};
use crate::startup::Application;
use clap::Subcommand;

#[derive(Subcommand)]
pub enum ExtensionCommand {
    /// Register an extension. With no --secret, Flows makes one (whsec_…) and prints it,
    /// alone on standard output, this once: give it to the service that verifies the calls.
    Add {
        #[arg(long)]
        name: String,
        /// https://… (plain http and private addresses only with FLOWS_EXTENSION_ALLOW_PRIVATE).
        #[arg(long)]
        url: String,
        /// The signing secret the service already has, read from standard input (never an
        /// argument, which other users of the machine could read).
        #[arg(long)]
        secret_stdin: bool,
        /// How long a person waits for the answer at most, in milliseconds.
        #[arg(long, default_value_t = 3000, value_parser = clap::value_parser!(u32).range(1..=i64::from(MAX_TIMEOUT_MS)))]
        timeout_ms: u32,
        /// An attribute sent with each call (repeat for several), e.g. email.
        #[arg(long = "send")]
        send: Vec<String>,
        /// An attribute the service may set by answering `modify` (repeat for several).
        #[arg(long = "may-set")]
        may_set: Vec<String>,
        /// What a timeout, an error or a malformed answer does: allow or deny.
        #[arg(long, default_value = "deny")]
        on_failure: String,
        /// An event it receives after the fact (repeat for several): flow.completed,
        /// user.created, user.recovered, invitation.sent.
        #[arg(long = "event")]
        events: Vec<String>,
    },
    /// List the extensions: name, URL, timeout, attributes sent, settable, failure policy.
    List,
    /// Remove an extension by name; steps that call it refuse from then on.
    Remove { name: String },
}

pub async fn run(command: ExtensionCommand, settings: &Settings) -> Result<(), String> {
    let engine = Application::engine_only(settings)
        .await
        .map_err(|e| e.to_string())?;
    let actor = Actor::cli();
    match command {
        ExtensionCommand::Add {
            name,
            url,
            secret_stdin,
            timeout_ms,
            send,
            may_set,
            on_failure,
            events,
        } => {
            let secret = if secret_stdin {
                let mut s = String::new();
                std::io::Read::read_to_string(&mut std::io::stdin(), &mut s)
                    .map_err(|e| format!("cannot read the secret: {e}"))?;
                s.trim().to_owned()
            } else {
                String::new()
            };
            let new = NewExtension {
                name,
                url,
                secret,
                timeout_ms: Some(timeout_ms),
                send_attributes: send,
                may_set,
                on_failure,
                events,
            };
            match engine
                .add_extension(&new, &actor)
                .await
                .map_err(|e| e.to_string())?
            {
                Ok(Some(made)) => println!("{made}"),
                Ok(None) => println!("{}", new.name.trim()),
                Err(problem) => return Err(format!("{}: {}", problem.field, problem.message)),
            }
        }
        ExtensionCommand::List => {
            for e in engine.extensions(&actor).await.map_err(|e| e.to_string())? {
                println!(
                    "{}\t{}\t{} ms\tsends [{}]\tmay set [{}]\ton failure {}\tevents [{}]",
                    e.name,
                    e.url,
                    e.timeout_ms,
                    e.send_attributes.join(", "),
                    e.may_set.join(", "),
                    e.on_failure.as_str(),
                    e.events.join(", ")
                );
            }
        }
        ExtensionCommand::Remove { name } => {
            if !engine
                .remove_extension(&name, &actor)
                .await
                .map_err(|e| e.to_string())?
            {
                return Err(format!("no extension called {name}"));
            }
            println!("removed {}", name.trim());
        }
    }
    Ok(())
}
