//! Connections as owners register them: the OpenID Connect providers people may sign up
//! through. Registering, listing, testing and removing are owners' acts; the client secret
//! is sealed before it is stored and never shown again.

use super::{Actor, Engine, EngineError};
use crate::domain::SealKey;
use crate::i18n::Said;
use crate::oidc::{AnyProvider, ClientConfig, Endpoints, OidcError};
use crate::store::ConnectionRow;
use std::collections::BTreeMap;
use time::OffsetDateTime;

/// Presets: the discovery URL and scopes a known provider needs.
pub const PRESETS: &[(&str, &str)] = &[
    (
        "google",
        "https://accounts.google.com/.well-known/openid-configuration",
    ),
    // A tenant's own issuer: Microsoft's shared `common` endpoint names no one issuer, which
    // an ID token check needs. Put the tenant id (or `consumers`) in place of `TENANT`.
    (
        "microsoft",
        "https://login.microsoftonline.com/TENANT/v2.0/.well-known/openid-configuration",
    ),
];

/// The standard claims a mapping may read.
pub const MAPPABLE_CLAIMS: &[&str] = &["given_name", "family_name", "preferred_username"];

/// What an owner registers.
#[derive(Debug, Clone, Default)]
pub struct NewConnection {
    pub name: String,
    /// `oidc` (any provider), `google` or `microsoft`; empty is `oidc`.
    pub preset: String,
    /// Empty with a preset: the preset's.
    pub discovery_url: String,
    pub client_id: String,
    pub client_secret: String,
    /// Empty: `openid email profile` (GitHub: `read:user user:email`).
    pub scopes: Vec<String>,
    /// Standard claim to attribute; empty: given and family names to themselves.
    pub mapping: BTreeMap<String, String>,
    /// `oauth2` (a provider without OpenID Connect): where it authorizes, issues tokens
    /// and answers who the person is (standard claims). GitHub's are built in.
    pub authorize_url: String,
    pub token_url: String,
    pub userinfo_url: String,
}

/// A connection as it may be shown: everything but its secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Connection {
    pub name: String,
    pub preset: String,
    pub discovery_url: String,
    pub client_id: String,
    pub scopes: Vec<String>,
    pub mapping: BTreeMap<String, String>,
    pub created_at: OffsetDateTime,
    /// A provider without OpenID Connect: its endpoints (`None`: found by discovery).
    pub endpoints: Option<Endpoints>,
}

/// Why a registration was refused: the field, and what to do (worded in the console's
/// language there, in English in the API and the CLI).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectionProblem {
    pub field: &'static str,
    pub message: Said,
}

fn problem(field: &'static str, message: Said) -> ConnectionProblem {
    ConnectionProblem { field, message }
}

/// Why a provider did not answer as it should, as a sentence: the provider's or the
/// library's own words (`detail`) stay as they were said.
pub fn provider_reason(e: &OidcError) -> Said {
    match e {
        OidcError::BadDiscoveryUrl => Said::new("ui.refusal.provider.bad_discovery_url"),
        OidcError::Discovery(detail) => {
            Said::new("ui.refusal.provider.discovery").with("detail", detail)
        }
        OidcError::Exchange(detail) => {
            Said::new("ui.refusal.provider.exchange").with("detail", detail)
        }
        OidcError::NoIdToken => Said::new("ui.refusal.provider.no_id_token"),
        OidcError::IdToken(detail) => {
            Said::new("ui.refusal.provider.id_token").with("detail", detail)
        }
    }
}

/// The field of `new` that holds a control character, if any: none belongs in a setting, and
/// a NUL cannot be stored in PostgreSQL at all. The secret is sealed, so any byte may be in it.
fn control_character(new: &NewConnection) -> Option<&'static str> {
    let bad = |s: &str| s.chars().any(char::is_control);
    if bad(&new.name) {
        Some("name")
    } else if bad(&new.preset) {
        Some("preset")
    } else if bad(&new.discovery_url) {
        Some("discovery_url")
    } else if bad(&new.client_id) {
        Some("client_id")
    } else if new.scopes.iter().any(|s| bad(s)) {
        Some("scopes")
    } else if new.mapping.iter().any(|(k, v)| bad(k) || bad(v)) {
        Some("mapping")
    } else {
        None
    }
}

impl From<&ConnectionRow> for Connection {
    fn from(row: &ConnectionRow) -> Self {
        Connection {
            name: row.name.clone(),
            preset: row.preset.clone(),
            discovery_url: row.discovery_url.clone(),
            client_id: row.client_id.clone(),
            scopes: row.scopes.clone(),
            mapping: row.mapping.clone(),
            created_at: row.created_at,
            endpoints: match row.preset.as_str() {
                "github" => Some(crate::oidc::github()),
                "oauth2" => Some(Endpoints {
                    authorize: row.authorize_url.clone(),
                    token: row.token_url.clone(),
                    userinfo: row.userinfo_url.clone(),
                    github: false,
                }),
                _ => None,
            },
        }
    }
}

/// A registered connection ready to use: its secret opened.
pub(crate) struct Usable {
    pub connection: Connection,
    pub secret: String,
}

impl Usable {
    pub fn client<'a>(&'a self, redirect_uri: &'a str) -> ClientConfig<'a> {
        ClientConfig {
            client_id: &self.connection.client_id,
            client_secret: &self.secret,
            redirect_uri,
        }
    }
}

impl Engine {
    fn connection_key(&self) -> SealKey {
        SealKey::derive(self.otp_key(), "connection secrets")
    }

    /// Seals what a sign-in under way keeps (the PKCE verifier, the URL carrying `state`).
    pub(crate) fn social_key(&self) -> SealKey {
        SealKey::derive(self.otp_key(), "sign-ins under way")
    }

    /// Where the person was sent to sign in, while `execution` waits for them back.
    pub fn away_to(&self, execution: &crate::domain::Execution) -> Option<String> {
        let social = execution.secrets.social.as_ref()?;
        self.social_key()
            .open(&social.authorize_url_sealed, &execution.id.to_string())
            .ok()
    }

    /// Where providers send people back: one URL for every connection, registered with each.
    pub fn social_callback_url(&self) -> String {
        format!(
            "{}/social/callback",
            self.settings().public_url.trim_end_matches('/')
        )
    }

    /// Registers a connection, after checking it field by field (not its discovery: a
    /// provider may be down for a moment; `test_connection` says whether it answers).
    pub async fn add_connection(
        &self,
        new: &NewConnection,
        actor: &Actor,
    ) -> Result<Result<(), ConnectionProblem>, EngineError> {
        actor.must_own()?;
        let id = uuid::Uuid::now_v7().to_string();
        let row = match self.checked_connection(new, &id) {
            Ok(row) => row,
            Err(problem) => return Ok(Err(problem)),
        };
        let name = row.name.clone();
        if !self.store().create_connection(&row).await? {
            return Ok(Err(problem(
                "name",
                Said::new("ui.refusal.connection.taken").with("name", &name),
            )));
        }
        let entry = actor.entry(
            "connection.added",
            format!("connection:{name}"),
            serde_json::json!({
                "preset": row.preset,
                "discoveryUrl": row.discovery_url,
                "clientId": row.client_id,
                "scopes": row.scopes,
                "mapping": row.mapping,
            }),
        );
        self.store().audit(&entry, self.now()).await?;
        Ok(Ok(()))
    }

    fn checked_connection(
        &self,
        new: &NewConnection,
        id: &str,
    ) -> Result<ConnectionRow, ConnectionProblem> {
        if let Some(field) = control_character(new) {
            return Err(problem(field, Said::new("ui.refusal.connection.control")));
        }
        let name = new.name.trim().to_owned();
        let slug = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-';
        if name.is_empty() || name.len() > 40 || !name.chars().all(slug) {
            return Err(problem("name", Said::new("ui.refusal.connection.name")));
        }
        let preset = match new.preset.trim() {
            "" => "oidc",
            other => other,
        };
        let preset_url = PRESETS.iter().find(|(p, _)| *p == preset).map(|(_, u)| *u);
        let plain = matches!(preset, "github" | "oauth2");
        if !plain && preset != "oidc" && preset_url.is_none() {
            return Err(problem("preset", Said::new("ui.refusal.connection.preset")));
        }
        let allow_private = self.settings().extension_allow_private;
        let web_url = |raw: &str| {
            url::Url::parse(raw.trim())
                .ok()
                .filter(|u| u.scheme() == "https" || (allow_private && u.scheme() == "http"))
                .map(|u| u.to_string())
        };
        let endpoints = match preset {
            "oauth2" => [
                ("authorize_url", &new.authorize_url),
                ("token_url", &new.token_url),
                ("userinfo_url", &new.userinfo_url),
            ]
            .into_iter()
            .map(|(field, raw)| {
                web_url(raw)
                    .ok_or_else(|| problem(field, Said::new("ui.refusal.connection.endpoint")))
            })
            .collect::<Result<Vec<_>, _>>()?,
            _ => vec![String::new(), String::new(), String::new()],
        };
        let discovery_url = match (new.discovery_url.trim(), preset_url) {
            ("", Some(url)) => url.to_owned(),
            (given, _) => given.to_owned(),
        };
        if discovery_url.contains("TENANT") {
            return Err(problem(
                "discovery_url",
                Said::new("ui.refusal.connection.tenant"),
            ));
        }
        let discovery_url = if plain { String::new() } else { discovery_url };
        if !plain
            && (web_url(&discovery_url).is_none()
                || crate::oidc::issuer_of(&discovery_url).is_err())
        {
            return Err(problem(
                "discovery_url",
                Said::new("ui.refusal.connection.discovery"),
            ));
        }
        let client_id = new.client_id.trim().to_owned();
        if client_id.is_empty() || client_id.len() > 512 {
            return Err(problem(
                "client_id",
                Said::new("ui.refusal.connection.client_id"),
            ));
        }
        let secret = new.client_secret.trim();
        if secret.is_empty() || secret.len() > 1024 {
            return Err(problem(
                "client_secret",
                Said::new("ui.refusal.connection.client_secret"),
            ));
        }
        let scopes: Vec<String> = match (new.scopes.is_empty(), preset) {
            (true, "github") => vec!["read:user".into(), "user:email".into()],
            (true, _) => vec!["openid".into(), "email".into(), "profile".into()],
            (false, _) => new.scopes.iter().map(|s| s.trim().to_owned()).collect(),
        };
        if (!plain && !scopes.iter().any(|s| s == "openid"))
            || scopes
                .iter()
                .any(|s| s.is_empty() || s.chars().any(|c| c.is_whitespace() || c == '"'))
        {
            return Err(problem("scopes", Said::new("ui.refusal.connection.scopes")));
        }
        let mapping = if new.mapping.is_empty() {
            [("given_name", "given_name"), ("family_name", "family_name")]
                .into_iter()
                .map(|(c, a)| (c.to_owned(), a.to_owned()))
                .collect()
        } else {
            let mut mapping = BTreeMap::new();
            for (claim, attribute) in &new.mapping {
                if !MAPPABLE_CLAIMS.contains(&claim.trim()) {
                    return Err(problem(
                        "mapping",
                        Said::new("ui.refusal.connection.claim")
                            .with("claim", claim)
                            .with("claims", MAPPABLE_CLAIMS.join(", ")),
                    ));
                }
                let attribute = super::canonical_attribute(attribute.trim());
                if matches!(attribute, "email" | "email_verified" | "password" | "") {
                    return Err(problem(
                        "mapping",
                        Said::new("ui.refusal.connection.claim_sets").with("attribute", attribute),
                    ));
                }
                mapping.insert(claim.trim().to_owned(), attribute.to_owned());
            }
            mapping
        };
        Ok(ConnectionRow {
            id: id.to_owned(),
            name,
            preset: preset.to_owned(),
            discovery_url,
            client_id,
            secret_sealed: self.connection_key().seal(secret, id),
            scopes,
            mapping,
            created_at: self.now(),
            authorize_url: endpoints[0].clone(),
            token_url: endpoints[1].clone(),
            userinfo_url: endpoints[2].clone(),
        })
    }

    /// Every connection, by name; owners only.
    pub async fn connections(&self, actor: &Actor) -> Result<Vec<Connection>, EngineError> {
        actor.must_own()?;
        Ok(self
            .store()
            .connections()
            .await?
            .iter()
            .map(Connection::from)
            .collect())
    }

    /// Removes a connection; `false` when there was none of that name. Steps that name it
    /// then tell the person that signing in that way is not available.
    pub async fn remove_connection(&self, name: &str, actor: &Actor) -> Result<bool, EngineError> {
        actor.must_own()?;
        let name = name.trim();
        if !self.store().delete_connection(name).await? {
            return Ok(false);
        }
        let entry = actor.entry(
            "connection.removed",
            format!("connection:{name}"),
            serde_json::json!({}),
        );
        self.store().audit(&entry, self.now()).await?;
        Ok(true)
    }

    /// Whether the provider answers its discovery (and its keys): `Ok(Err(why))` when not.
    pub async fn test_connection(
        &self,
        name: &str,
        actor: &Actor,
    ) -> Result<Option<Result<(), Said>>, EngineError> {
        actor.must_own()?;
        let Some(row) = self.store().connection_by_name(name.trim()).await? else {
            return Ok(None);
        };
        let allow_private = self.settings().extension_allow_private;
        let connection = Connection::from(&row);
        let answered = match AnyProvider::connect(
            &connection.discovery_url,
            connection.endpoints.clone(),
            allow_private,
        )
        .await
        {
            Ok(AnyProvider::Plain(plain)) => plain.check().await,
            Ok(AnyProvider::Oidc(_)) => Ok(()),
            Err(e) => Err(e),
        };
        Ok(Some(answered.map_err(|e| provider_reason(&e))))
    }

    /// The connection a step names, its secret opened; `None` when there is none of that
    /// name or its secret does not open (another server key).
    pub(crate) async fn usable_connection(
        &self,
        name: &str,
    ) -> Result<Option<Usable>, EngineError> {
        let Some(row) = self.store().connection_by_name(name).await? else {
            return Ok(None);
        };
        let Ok(secret) = self.connection_key().open(&row.secret_sealed, &row.id) else {
            tracing::error!(connection = %row.name, "the connection's secret does not open with this server's key");
            return Ok(None);
        };
        Ok(Some(Usable {
            connection: Connection::from(&row),
            secret,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Locale, Tr};
    use crate::store::{DbOptions, Store};

    fn french(said: &Said) -> String {
        said.in_(&Tr::new(Locale::from_tag("fr").unwrap()))
    }

    #[tokio::test]
    async fn every_refusal_of_a_connection_is_a_whole_sentence_in_english_and_french() {
        let store = Store::connect("sqlite::memory:", &DbOptions::default())
            .await
            .unwrap();
        let engine = Engine::for_tests(store);
        let good = NewConnection {
            name: "staff-sso".into(),
            discovery_url: "https://login.example/.well-known/openid-configuration".into(),
            client_id: "id".into(),
            client_secret: "secret".into(),
            ..NewConnection::default()
        };
        assert!(engine.checked_connection(&good, "1").is_ok());
        let claim = |claim: &str, attribute: &str| NewConnection {
            mapping: [(claim.to_owned(), attribute.to_owned())].into(),
            ..good.clone()
        };
        let bad = [
            NewConnection {
                client_id: "a\0b".into(),
                ..good.clone()
            },
            NewConnection {
                name: "Staff SSO".into(),
                ..good.clone()
            },
            NewConnection {
                preset: "saml".into(),
                ..good.clone()
            },
            NewConnection {
                preset: "oauth2".into(),
                ..good.clone()
            },
            NewConnection {
                preset: "microsoft".into(),
                discovery_url: String::new(),
                ..good.clone()
            },
            NewConnection {
                discovery_url: "http://login.example/".into(),
                ..good.clone()
            },
            NewConnection {
                client_id: " ".into(),
                ..good.clone()
            },
            NewConnection {
                client_secret: String::new(),
                ..good.clone()
            },
            NewConnection {
                scopes: vec!["email".into()],
                ..good.clone()
            },
            claim("sub", "id"),
            claim("given_name", "email"),
        ];
        let mut fields = Vec::new();
        for new in &bad {
            let problem = engine.checked_connection(new, "1").unwrap_err();
            let said = &problem.message;
            assert!(said.faults().is_empty(), "{:?}", said.faults());
            assert_ne!(french(said), said.english(), "{}", said.english());
            fields.push(problem.field);
        }
        assert_eq!(
            fields,
            [
                "client_id",
                "name",
                "preset",
                "authorize_url",
                "discovery_url",
                "discovery_url",
                "client_id",
                "client_secret",
                "scopes",
                "mapping",
                "mapping"
            ]
        );
        let claim = engine.checked_connection(&bad[9], "1").unwrap_err().message;
        assert_eq!(
            claim.english(),
            "'sub' is not a claim Flows reads; use given_name, family_name, preferred_username."
        );
    }

    #[test]
    fn a_providers_silence_is_said_as_before_in_english_and_in_french_too() {
        let errors = [
            OidcError::BadDiscoveryUrl,
            OidcError::Discovery("connection refused".into()),
            OidcError::Exchange("401".into()),
            OidcError::NoIdToken,
            OidcError::IdToken("expired".into()),
        ];
        for e in &errors {
            let said = provider_reason(e);
            assert!(said.faults().is_empty(), "{:?}", said.faults());
            assert_eq!(said.english(), e.to_string());
            assert_ne!(french(&said), said.english());
        }
        assert_eq!(
            french(&provider_reason(&errors[1])),
            "la découverte a échoué : connection refused"
        );
    }
}
