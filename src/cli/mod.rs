//! The `flows` command line (CONTRACT.md). Errors are one line and a non-zero exit code.

mod apps;
mod connections;
mod extensions;

use crate::config::Settings;
use crate::domain::Email;
use crate::engine::{AdminRefusal, FlowDefinition, FlowType, TokenNameRefusal};
use crate::startup::{Application, open_store};
use clap::{Parser, Subcommand};
use secrecy::SecretString;
use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "flows",
    version,
    about = "Hosted registration, recovery and invitation journeys"
)]
struct Cli {
    /// TOML file with settings; FLOWS_* variables override it.
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server (the default).
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Manage administrators.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Invite someone by e-mail: records the invitation and queues its e-mail.
    Invite {
        #[arg(long)]
        email: String,
        #[arg(long)]
        given_name: Option<String>,
        #[arg(long)]
        family_name: Option<String>,
        /// Shown to the invited person as who invited them.
        #[arg(long, default_value = "An administrator")]
        invited_by: String,
        /// The invited person's language, a tag like `fr`: their mails and the pages their
        /// link opens. The default language when not given.
        #[arg(long)]
        locale: Option<String>,
    },
    /// Export or import flow definitions.
    Flow {
        #[command(subcommand)]
        command: FlowCommand,
    },
    /// Client applications of the Flow Execution API.
    App {
        #[command(subcommand)]
        command: apps::AppCommand,
    },
    /// Services a flow calls (CallExtension): register, list, remove.
    Extension {
        #[command(subcommand)]
        command: extensions::ExtensionCommand,
    },
    /// OpenID Connect providers people sign up through: register, list, test, remove.
    Connection {
        #[command(subcommand)]
        command: connections::ConnectionCommand,
    },
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Create an administrator; the password is read from standard input.
    Create {
        #[arg(long)]
        email: String,
        /// Accepted for scripts; the password is always read from standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// API tokens of the flow management API.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Create a token; it is printed once, alone on standard output, and stored hashed.
    Create {
        #[arg(long)]
        name: String,
    },
    /// Revoke the live token with this name: it stops working at once.
    Revoke {
        #[arg(long)]
        name: String,
    },
}

#[derive(Subcommand)]
enum FlowCommand {
    /// Print the published flow of a type as JSON.
    Export {
        #[arg(long = "type")]
        flow_type: String,
    },
    /// Store a flow definition from a JSON file as a new version and publish it.
    Import { file: PathBuf },
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => {
            // --help and --version
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            // One line naming the problem, as CONTRACT.md promises, not clap's usage block.
            let rendered = e.render().to_string();
            let first = rendered.lines().next().unwrap_or("invalid arguments");
            return fail(first.trim_start_matches("error: "));
        }
    };
    let settings = match Settings::load(cli.config.as_deref()) {
        Ok(s) => s,
        Err(e) => return fail(&e.to_string()),
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => return fail(&format!("cannot start the runtime: {e}")),
    };
    let result = runtime.block_on(run(cli.command.unwrap_or(Command::Serve), settings));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => fail(&message),
    }
}

/// A name given on the command line, held to what the console's forms take: one line (the
/// inviter's name goes into a mail's subject), at most 100 characters.
fn name_arg(flag: &str, value: &str) -> Result<String, String> {
    let value = value.trim();
    if value.is_empty()
        || value.chars().count() > 100
        || value.chars().any(crate::engine::is_hidden_control)
    {
        return Err(format!(
            "{flag} must be a name of at most 100 characters, without line breaks or control characters"
        ));
    }
    Ok(value.to_owned())
}

fn fail(message: &str) -> ExitCode {
    eprintln!("flows: {message}");
    ExitCode::from(2)
}

async fn run(command: Command, settings: Settings) -> Result<(), String> {
    match command {
        Command::App { command } => apps::run(command, &settings).await,
        Command::Extension { command } => extensions::run(command, &settings).await,
        Command::Connection { command } => connections::run(command, &settings).await,
        Command::Serve => {
            crate::telemetry::init(&settings.log, settings.log_json);
            let app = Application::build(settings)
                .await
                .map_err(|e| e.to_string())?;
            app.run_until_stopped().await.map_err(|e| e.to_string())
        }
        Command::Migrate => {
            open_store(&settings).await.map_err(|e| e.to_string())?;
            println!("migrations applied");
            Ok(())
        }
        Command::Admin {
            command: AdminCommand::Create { email, .. },
        } => {
            let email = Email::parse(&email).map_err(|e| format!("--email: {}", e.code))?;
            let mut password = String::new();
            std::io::stdin()
                .read_to_string(&mut password)
                .map_err(|e| format!("cannot read the password: {e}"))?;
            let password = SecretString::from(password.trim_end_matches(['\r', '\n']).to_owned());
            let engine = Application::engine_only(&settings)
                .await
                .map_err(|e| e.to_string())?;
            let added = engine
                .add_admin(
                    email.as_str(),
                    &password,
                    false,
                    &crate::engine::Actor::cli(),
                )
                .await
                .map_err(|e| e.to_string())?;
            match added {
                Ok(_) => {}
                Err(AdminRefusal::Email(code)) => return Err(format!("--email: {code}")),
                Err(AdminRefusal::Password(e)) => {
                    return Err(format!("the password is refused: {}", e.code));
                }
                Err(AdminRefusal::Exists) => {
                    return Err(format!(
                        "an administrator {} already exists",
                        email.as_str()
                    ));
                }
            }
            println!("administrator {} created", email.as_str());
            Ok(())
        }
        Command::Admin {
            command: AdminCommand::Token { command },
        } => token_command(command, &settings).await,
        Command::Invite {
            email,
            given_name,
            family_name,
            invited_by,
            locale,
        } => {
            let invited_by = name_arg("--invited-by", &invited_by)?;
            let locale = match locale {
                None => crate::i18n::Locale::default(),
                Some(tag) => crate::i18n::Locale::from_tag(&tag).ok_or_else(|| {
                    let known: Vec<&str> = crate::i18n::Locale::all().map(|l| l.tag()).collect();
                    format!("--locale must be one of {}, not {tag:?}", known.join(", "))
                })?,
            };
            let mut prefill = std::collections::BTreeMap::new();
            if let Some(v) = given_name {
                prefill.insert("given_name".to_owned(), name_arg("--given-name", &v)?);
            }
            if let Some(v) = family_name {
                prefill.insert("family_name".to_owned(), name_arg("--family-name", &v)?);
            }
            let engine = Application::engine_only(&settings)
                .await
                .map_err(|e| e.to_string())?;
            let id = engine
                .send_invitation(
                    &email,
                    prefill,
                    &invited_by,
                    locale,
                    &crate::engine::Actor::cli(),
                )
                .await
                .map_err(|e| e.to_string())?;
            // Send it now if possible; a running server's outbox worker sends it otherwise.
            crate::startup::send_queued_mail(&settings, &engine).await;
            println!("invitation {id} sent to {email}");
            Ok(())
        }
        Command::Flow {
            command: FlowCommand::Export { flow_type },
        } => {
            let flow_type: FlowType = flow_type.parse().map_err(|_| {
                format!("--type must be one of REGISTRATION, PASSWORD_RECOVERY, INVITED_USER_REGISTRATION, not {flow_type:?}")
            })?;
            let app = Application::engine_only(&settings)
                .await
                .map_err(|e| e.to_string())?;
            let published = app
                .published_version(flow_type)
                .await
                .map_err(|e| e.to_string())?
                .ok_or_else(|| format!("{flow_type} has no published flow"))?;
            let json =
                serde_json::to_string_pretty(&published.definition).map_err(|e| e.to_string())?;
            println!("{json}");
            Ok(())
        }
        Command::Flow {
            command: FlowCommand::Import { file },
        } => {
            let text = std::fs::read_to_string(&file)
                .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
            let def: FlowDefinition = serde_json::from_str(&text)
                .map_err(|e| format!("{} is not a flow definition: {e}", file.display()))?;
            let app = Application::engine_only(&settings)
                .await
                .map_err(|e| e.to_string())?;
            let source = format!("import of {}", file.display());
            let id = match app
                .import_and_publish(&def, &source, &crate::engine::Actor::cli())
                .await
                .map_err(|e| e.to_string())?
            {
                Ok(version) => version,
                Err(crate::engine::DraftProblem::Problems { problems, .. }) => {
                    let list: Vec<String> = problems
                        .iter()
                        .map(|p| format!("{} ({})", p.message, p.code))
                        .collect();
                    return Err(format!(
                        "the flow has {} problem(s): {}",
                        problems.len(),
                        list.join("; ")
                    ));
                }
                Err(other) => return Err(format!("not published: {other:?}")),
            };
            println!("published {} as version {id}", def.flow_type);
            Ok(())
        }
    }
}

async fn token_command(command: TokenCommand, settings: &Settings) -> Result<(), String> {
    let engine = Application::engine_only(settings)
        .await
        .map_err(|e| e.to_string())?;
    let actor = crate::engine::Actor::cli();
    match command {
        TokenCommand::Create { name } => {
            let token = engine
                .create_api_token(&name, &actor)
                .await
                .map_err(|e| e.to_string())?
                .map_err(|refused| match refused {
                    TokenNameRefusal::Malformed(e) => format!("--name: {e}"),
                    TokenNameRefusal::Taken => {
                        format!("a live API token named {name:?} already exists")
                    }
                })?;
            // Alone on stdout, so that `TOKEN=$(flows admin token create --name ci)` works.
            println!("{}", token.expose());
            Ok(())
        }
        TokenCommand::Revoke { name } => {
            engine
                .revoke_api_token(&name, &actor)
                .await
                .map_err(|e| e.to_string())?
                .map_err(|_| format!("there is no live API token named {name:?}"))?;
            println!("API token {name} revoked");
            Ok(())
        }
    }
}
