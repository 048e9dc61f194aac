//! `flows connection …`: the OpenID Connect providers people sign up through, through the
//! same engine acts as the console and the management API (same checks, same audit entries,
//! actor `cli`).

use crate::config::Settings;
use crate::engine::{Actor, NewConnection};
use crate::startup::Application;
use clap::Subcommand;
use std::collections::BTreeMap;

#[derive(Subcommand)]
#[expect(
    clippy::large_enum_variant,
    reason = "parsed once per run: the size of the other variants is nothing to save"
)]
pub enum ConnectionCommand {
    /// Register a connection. Register this server at the provider first, with the callback
    /// URL `<public URL>/social/callback`.
    Add {
        #[arg(long)]
        name: String,
        /// oidc (any provider), google or microsoft.
        #[arg(long, default_value = "oidc")]
        preset: String,
        /// https://…/.well-known/openid-configuration; may be left out with a preset.
        #[arg(long, default_value = "")]
        discovery_url: String,
        #[arg(long)]
        client_id: String,
        /// The client secret the provider issued. Other users of the machine may read
        /// arguments: prefer --client-secret-stdin.
        #[arg(long, conflicts_with = "client_secret_stdin")]
        client_secret: Option<String>,
        /// Read the client secret from standard input instead.
        #[arg(long)]
        client_secret_stdin: bool,
        /// Separated by spaces; openid must be one of them (but for github and oauth2).
        /// Empty: openid email profile (github: read:user user:email).
        #[arg(long, default_value = "")]
        scopes: String,
        /// Preset oauth2 (a provider without OpenID Connect): where it authorizes.
        #[arg(long, default_value = "")]
        authorize_url: String,
        /// Preset oauth2: where it issues tokens.
        #[arg(long, default_value = "")]
        token_url: String,
        /// Preset oauth2: where it answers who the person is, in standard claims.
        #[arg(long, default_value = "")]
        userinfo_url: String,
        /// claim=attribute (repeat for several), e.g. given_name=first_name.
        #[arg(long = "map")]
        map: Vec<String>,
    },
    /// List the connections: name, preset, discovery URL, client id, scopes, mapping.
    List,
    /// Whether a connection's provider answers its discovery (and its keys).
    Test { name: String },
    /// Remove a connection by name; steps that name it say signing up that way is not
    /// available from then on.
    Remove { name: String },
}

pub async fn run(command: ConnectionCommand, settings: &Settings) -> Result<(), String> {
    // Checked before the engine starts, so that a typo costs no database connection.
    let new = match &command {
        ConnectionCommand::Add {
            name,
            preset,
            discovery_url,
            client_id,
            client_secret,
            client_secret_stdin,
            scopes,
            map,
            authorize_url,
            token_url,
            userinfo_url,
        } => {
            let client_secret = match (client_secret, client_secret_stdin) {
                (Some(secret), _) => secret.clone(),
                (None, true) => {
                    let mut s = String::new();
                    std::io::Read::read_to_string(&mut std::io::stdin(), &mut s)
                        .map_err(|e| format!("cannot read the client secret: {e}"))?;
                    s.trim().to_owned()
                }
                (None, false) => {
                    return Err(
                        "client_secret: give --client-secret or --client-secret-stdin".into(),
                    );
                }
            };
            let mut mapping = BTreeMap::new();
            for pair in map {
                let Some((claim, attribute)) = pair.split_once('=') else {
                    return Err(format!("mapping: write --map claim=attribute, not {pair}"));
                };
                mapping.insert(claim.trim().to_owned(), attribute.trim().to_owned());
            }
            Some(NewConnection {
                name: name.clone(),
                preset: preset.clone(),
                discovery_url: discovery_url.clone(),
                client_id: client_id.clone(),
                client_secret,
                scopes: scopes.split_whitespace().map(str::to_owned).collect(),
                mapping,
                authorize_url: authorize_url.clone(),
                token_url: token_url.clone(),
                userinfo_url: userinfo_url.clone(),
            })
        }
        _ => None,
    };
    let engine = Application::engine_only(settings)
        .await
        .map_err(|e| e.to_string())?;
    let actor = Actor::cli();
    match command {
        ConnectionCommand::Add { .. } => {
            let new = new.unwrap_or_default();
            if let Err(problem) = engine
                .add_connection(&new, &actor)
                .await
                .map_err(|e| e.to_string())?
            {
                return Err(format!("{}: {}", problem.field, problem.message));
            }
            println!("{}", new.name.trim());
        }
        ConnectionCommand::List => {
            for c in engine
                .connections(&actor)
                .await
                .map_err(|e| e.to_string())?
            {
                let mapping: Vec<String> =
                    c.mapping.iter().map(|(k, v)| format!("{k}={v}")).collect();
                println!(
                    "{}\t{}\t{}\t{}\tscopes [{}]\tmapping [{}]",
                    c.name,
                    c.preset,
                    c.discovery_url,
                    c.client_id,
                    c.scopes.join(" "),
                    mapping.join(", ")
                );
            }
        }
        ConnectionCommand::Test { name } => {
            match engine
                .test_connection(&name, &actor)
                .await
                .map_err(|e| e.to_string())?
            {
                None => return Err(format!("no connection called {name}")),
                Some(Ok(())) => println!("the provider of {} answers", name.trim()),
                Some(Err(why)) => return Err(format!("the provider does not answer: {why}")),
            }
        }
        ConnectionCommand::Remove { name } => {
            if !engine
                .remove_connection(&name, &actor)
                .await
                .map_err(|e| e.to_string())?
            {
                return Err(format!("no connection called {name}"));
            }
            println!("removed {}", name.trim());
        }
    }
    Ok(())
}
