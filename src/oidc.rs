//! Sign-up through an OpenID Connect provider, the protocol side: discovery, the
//! authorization request (code flow with PKCE, `state` and `nonce`) and the code's exchange
//! with the ID token checked (signature from the provider's JWKS, issuer, audience, expiry,
//! nonce) by the `openidconnect` crate. Every request goes through `outcall`'s guard.

use crate::outcall::{CallError, Outgoing, fetch};
use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata};
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, HttpRequest, HttpResponse, IssuerUrl,
    Nonce, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope, TokenResponse,
};
use std::time::Duration;

/// Discovery, JWKS and the token exchange each get this long.
const TIMEOUT: Duration = Duration::from_secs(10);

/// Why a provider could not be used, in words for the log and the console (never shown to
/// the person, who is told only that signing in with it did not work).
#[derive(Debug, thiserror::Error)]
pub enum OidcError {
    #[error("the discovery URL is not a URL ending in /.well-known/openid-configuration")]
    BadDiscoveryUrl,
    #[error("discovery failed: {0}")]
    Discovery(String),
    #[error("the code exchange failed: {0}")]
    Exchange(String),
    #[error("the provider sent no ID token")]
    NoIdToken,
    #[error("the ID token was refused: {0}")]
    IdToken(String),
}

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct HttpError(String);

/// The HTTP client `openidconnect` calls: our own guarded exchange.
fn http_client(
    allow_private: bool,
) -> impl Fn(
    HttpRequest,
) -> std::pin::Pin<Box<dyn Future<Output = Result<HttpResponse, HttpError>> + Send>> {
    move |request: HttpRequest| {
        Box::pin(async move {
            let (parts, body) = request.into_parts();
            let url =
                url::Url::parse(&parts.uri.to_string()).map_err(|e| HttpError(e.to_string()))?;
            let headers: Vec<_> = parts
                .headers
                .iter()
                .filter_map(|(name, value)| {
                    value.to_str().ok().map(|v| (name.clone(), v.to_owned()))
                })
                .collect();
            let answer = fetch(
                Outgoing {
                    method: parts.method,
                    url: &url,
                    headers: &headers,
                    body,
                },
                TIMEOUT,
                allow_private,
            )
            .await
            .map_err(|e: CallError| HttpError(e.to_string()))?;
            let mut response = HttpResponse::new(answer.body.to_vec());
            *response.status_mut() = openidconnect::http::StatusCode::from_u16(answer.status)
                .map_err(|e| HttpError(e.to_string()))?;
            Ok(response)
        })
    }
}

/// The issuer a discovery URL names: the URL without `/.well-known/openid-configuration`.
pub fn issuer_of(discovery_url: &str) -> Result<IssuerUrl, OidcError> {
    let issuer = discovery_url
        .trim()
        .strip_suffix("/.well-known/openid-configuration")
        .ok_or(OidcError::BadDiscoveryUrl)?;
    IssuerUrl::new(issuer.to_owned()).map_err(|_| OidcError::BadDiscoveryUrl)
}

/// A provider as its discovery document describes it.
pub struct Provider {
    metadata: CoreProviderMetadata,
    allow_private: bool,
}

/// What the person is sent to, and what must be kept to finish: `state` and `nonce` to
/// check the answer, the PKCE verifier to exchange the code.
pub struct Authorization {
    pub url: String,
    pub state: String,
    pub nonce: String,
    pub verifier: String,
}

/// The connection's credentials and where the provider sends the person back.
pub struct ClientConfig<'a> {
    pub client_id: &'a str,
    pub client_secret: &'a str,
    pub redirect_uri: &'a str,
}

/// What the checked ID token says about the person.
#[derive(Debug, Clone, Default)]
pub struct Claims {
    pub subject: String,
    pub email: Option<String>,
    pub email_verified: bool,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub preferred_username: Option<String>,
}

impl Provider {
    pub async fn discover(discovery_url: &str, allow_private: bool) -> Result<Self, OidcError> {
        let issuer = issuer_of(discovery_url)?;
        let http = http_client(allow_private);
        let metadata = CoreProviderMetadata::discover_async(issuer, &http)
            .await
            .map_err(|e| OidcError::Discovery(error_chain(&e)))?;
        Ok(Self {
            metadata,
            allow_private,
        })
    }

    fn client(
        &self,
        config: &ClientConfig<'_>,
    ) -> Result<
        openidconnect::core::CoreClient<
            openidconnect::EndpointSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointMaybeSet,
            openidconnect::EndpointMaybeSet,
        >,
        OidcError,
    > {
        let redirect = RedirectUrl::new(config.redirect_uri.to_owned())
            .map_err(|e| OidcError::Discovery(e.to_string()))?;
        Ok(CoreClient::from_provider_metadata(
            self.metadata.clone(),
            ClientId::new(config.client_id.to_owned()),
            Some(ClientSecret::new(config.client_secret.to_owned())),
        )
        .set_redirect_uri(redirect))
    }

    /// The authorization request: code flow, PKCE (S256), a fresh `state` and `nonce`.
    pub fn authorize(
        &self,
        config: &ClientConfig<'_>,
        scopes: &[String],
    ) -> Result<Authorization, OidcError> {
        let client = self.client(config)?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .set_pkce_challenge(challenge);
        for scope in scopes.iter().filter(|s| s.as_str() != "openid") {
            request = request.add_scope(Scope::new(scope.clone()));
        }
        let (url, state, nonce) = request.url();
        Ok(Authorization {
            url: url.to_string(),
            state: state.secret().clone(),
            nonce: nonce.secret().clone(),
            verifier: verifier.secret().clone(),
        })
    }

    /// Exchanges the code (with the PKCE verifier) and checks the ID token against `nonce`.
    pub async fn finish(
        &self,
        config: &ClientConfig<'_>,
        code: &str,
        verifier: &str,
        nonce: &str,
    ) -> Result<Claims, OidcError> {
        let client = self.client(config)?;
        let http = http_client(self.allow_private);
        let response = client
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .map_err(|e| OidcError::Exchange(e.to_string()))?
            .set_pkce_verifier(PkceCodeVerifier::new(verifier.to_owned()))
            .request_async(&http)
            .await
            .map_err(|e| OidcError::Exchange(error_chain(&e)))?;
        let id_token = response.id_token().ok_or(OidcError::NoIdToken)?;
        let claims = id_token
            .claims(&client.id_token_verifier(), &Nonce::new(nonce.to_owned()))
            .map_err(|e| OidcError::IdToken(error_chain(&e)))?;
        let text = |c: Option<&openidconnect::LocalizedClaim<openidconnect::EndUserGivenName>>| {
            c.and_then(|c| c.get(None)).map(|v| v.to_string())
        };
        Ok(Claims {
            subject: claims.subject().to_string(),
            email: claims.email().map(|e| e.to_string()),
            email_verified: claims.email_verified() == Some(true),
            given_name: text(claims.given_name()),
            family_name: claims
                .family_name()
                .and_then(|c| c.get(None))
                .map(|v| v.to_string()),
            preferred_username: claims.preferred_username().map(|u| u.to_string()),
        })
    }
}

/// An error with its sources, for the log and the console.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// A provider that speaks OAuth 2.0 without OpenID Connect (GitHub): the code flow with PKCE
/// and `state`, then its user API, read with the access token. No ID token, so no nonce: the
/// code itself, bound to PKCE and exchanged over TLS, is what proves the answer.
pub struct PlainOAuth {
    pub endpoints: Endpoints,
    pub allow_private: bool,
}

/// Where a plain OAuth 2.0 provider authorizes, issues tokens and tells who the person is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    pub authorize: String,
    pub token: String,
    pub userinfo: String,
    /// GitHub's user API: the account's `id` and `login`, and its addresses apart
    /// (`/user/emails`, with which are verified).
    pub github: bool,
}

/// GitHub's endpoints.
pub fn github() -> Endpoints {
    Endpoints {
        authorize: "https://github.com/login/oauth/authorize".into(),
        token: "https://github.com/login/oauth/access_token".into(),
        userinfo: "https://api.github.com/user".into(),
        github: true,
    }
}

impl PlainOAuth {
    fn client(
        &self,
        config: &ClientConfig<'_>,
    ) -> Result<
        oauth2::basic::BasicClient<
            oauth2::EndpointSet,
            oauth2::EndpointNotSet,
            oauth2::EndpointNotSet,
            oauth2::EndpointNotSet,
            oauth2::EndpointSet,
        >,
        OidcError,
    > {
        let bad = |e: oauth2::url::ParseError| OidcError::Discovery(e.to_string());
        Ok(
            oauth2::basic::BasicClient::new(oauth2::ClientId::new(config.client_id.to_owned()))
                .set_client_secret(oauth2::ClientSecret::new(config.client_secret.to_owned()))
                .set_auth_uri(oauth2::AuthUrl::new(self.endpoints.authorize.clone()).map_err(bad)?)
                .set_token_uri(oauth2::TokenUrl::new(self.endpoints.token.clone()).map_err(bad)?)
                .set_redirect_uri(
                    oauth2::RedirectUrl::new(config.redirect_uri.to_owned()).map_err(bad)?,
                ),
        )
    }

    pub fn authorize(
        &self,
        config: &ClientConfig<'_>,
        scopes: &[String],
    ) -> Result<Authorization, OidcError> {
        let client = self.client(config)?;
        let (challenge, verifier) = oauth2::PkceCodeChallenge::new_random_sha256();
        let mut request = client
            .authorize_url(oauth2::CsrfToken::new_random)
            .set_pkce_challenge(challenge);
        for scope in scopes {
            request = request.add_scope(oauth2::Scope::new(scope.clone()));
        }
        let (url, state) = request.url();
        Ok(Authorization {
            url: url.to_string(),
            state: state.secret().clone(),
            nonce: String::new(),
            verifier: verifier.secret().clone(),
        })
    }

    pub async fn finish(
        &self,
        config: &ClientConfig<'_>,
        code: &str,
        verifier: &str,
    ) -> Result<Claims, OidcError> {
        use oauth2::TokenResponse as _;
        let client = self.client(config)?;
        let http = http_client(self.allow_private);
        let token = client
            .exchange_code(oauth2::AuthorizationCode::new(code.to_owned()))
            .set_pkce_verifier(oauth2::PkceCodeVerifier::new(verifier.to_owned()))
            .request_async(&http)
            .await
            .map_err(|e| OidcError::Exchange(error_chain(&e)))?;
        let access = token.access_token().secret();
        let user = self.get_json(&self.endpoints.userinfo, access).await?;
        if !self.endpoints.github {
            return Ok(standard_claims(&user));
        }
        let emails_url = format!("{}/emails", self.endpoints.userinfo.trim_end_matches('/'));
        let emails = self.get_json(&emails_url, access).await?;
        Ok(github_claims(&user, &emails))
    }

    async fn get_json(&self, url: &str, access: &str) -> Result<serde_json::Value, OidcError> {
        let parsed = url::Url::parse(url).map_err(|e| OidcError::Exchange(e.to_string()))?;
        let headers = vec![
            (hyper::header::AUTHORIZATION, format!("Bearer {access}")),
            (hyper::header::ACCEPT, "application/json".to_owned()),
        ];
        let answer = fetch(
            Outgoing {
                method: hyper::Method::GET,
                url: &parsed,
                headers: &headers,
                body: Vec::new(),
            },
            TIMEOUT,
            self.allow_private,
        )
        .await
        .map_err(|e| OidcError::Exchange(e.to_string()))?;
        if !(200..300).contains(&answer.status) {
            return Err(OidcError::Exchange(format!(
                "{url} answered {}",
                answer.status
            )));
        }
        serde_json::from_slice(&answer.body).map_err(|e| OidcError::Exchange(e.to_string()))
    }

    /// Whether the provider answers at all: its user API, asked without a token, must say
    /// who is not signed in (401) rather than nothing.
    pub async fn check(&self) -> Result<(), OidcError> {
        let parsed = url::Url::parse(&self.endpoints.userinfo)
            .map_err(|e| OidcError::Discovery(e.to_string()))?;
        fetch(
            Outgoing {
                method: hyper::Method::GET,
                url: &parsed,
                headers: &[],
                body: Vec::new(),
            },
            TIMEOUT,
            self.allow_private,
        )
        .await
        .map(|_| ())
        .map_err(|e| OidcError::Discovery(e.to_string()))
    }
}

fn text(value: &serde_json::Value, key: &str) -> Option<String> {
    match &value[key] {
        serde_json::Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A user API that answers with OpenID Connect's standard claims (a userinfo endpoint).
fn standard_claims(user: &serde_json::Value) -> Claims {
    Claims {
        subject: text(user, "sub").unwrap_or_default(),
        email: text(user, "email"),
        email_verified: user["email_verified"] == serde_json::Value::Bool(true),
        given_name: text(user, "given_name"),
        family_name: text(user, "family_name"),
        preferred_username: text(user, "preferred_username"),
    }
}

/// GitHub's `/user` and `/user/emails`: the address is the primary one, proved when GitHub
/// says it is verified; the name is one field, split at its last space.
fn github_claims(user: &serde_json::Value, emails: &serde_json::Value) -> Claims {
    let primary = emails
        .as_array()
        .into_iter()
        .flatten()
        .find(|e| e["primary"] == serde_json::Value::Bool(true));
    let name = text(user, "name").unwrap_or_default();
    let (given, family) = match name.trim().rsplit_once(' ') {
        Some((given, family)) => (Some(given.to_owned()), Some(family.to_owned())),
        None if !name.trim().is_empty() => (Some(name.trim().to_owned()), None),
        None => (None, None),
    };
    Claims {
        subject: text(user, "id").unwrap_or_default(),
        email: primary
            .and_then(|e| text(e, "email"))
            .or_else(|| text(user, "email")),
        email_verified: primary.is_some_and(|e| e["verified"] == serde_json::Value::Bool(true)),
        given_name: given,
        family_name: family,
        preferred_username: text(user, "login"),
    }
}

/// Either kind of provider, as a connection names it.
pub enum AnyProvider {
    // Boxed: the discovery document is large, and one provider lives per request.
    Oidc(Box<Provider>),
    Plain(PlainOAuth),
}

impl AnyProvider {
    /// An OpenID Connect provider from its discovery URL, or a plain OAuth 2.0 one from its
    /// endpoints (checked to answer).
    pub async fn connect(
        discovery_url: &str,
        endpoints: Option<Endpoints>,
        allow_private: bool,
    ) -> Result<Self, OidcError> {
        match endpoints {
            Some(endpoints) => Ok(AnyProvider::Plain(PlainOAuth {
                endpoints,
                allow_private,
            })),
            None => Provider::discover(discovery_url, allow_private)
                .await
                .map(|p| AnyProvider::Oidc(Box::new(p))),
        }
    }

    pub fn authorize(
        &self,
        config: &ClientConfig<'_>,
        scopes: &[String],
    ) -> Result<Authorization, OidcError> {
        match self {
            AnyProvider::Oidc(p) => p.authorize(config, scopes),
            AnyProvider::Plain(p) => p.authorize(config, scopes),
        }
    }

    pub async fn finish(
        &self,
        config: &ClientConfig<'_>,
        code: &str,
        verifier: &str,
        nonce: &str,
    ) -> Result<Claims, OidcError> {
        match self {
            AnyProvider::Oidc(p) => p.finish(config, code, verifier, nonce).await,
            AnyProvider::Plain(p) => p.finish(config, code, verifier).await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn githubs_primary_verified_address_is_the_proved_one() {
        let user = json!({"id": 583231, "login": "octocat", "name": "The Octo Cat", "email": null});
        let emails = json!([
            {"email": "old@example.com", "primary": false, "verified": true},
            {"email": "octocat@example.com", "primary": true, "verified": true},
        ]);
        let claims = github_claims(&user, &emails);
        assert_eq!(claims.subject, "583231");
        assert_eq!(claims.email.as_deref(), Some("octocat@example.com"));
        assert!(claims.email_verified);
        assert_eq!(claims.given_name.as_deref(), Some("The Octo"));
        assert_eq!(claims.family_name.as_deref(), Some("Cat"));
        assert_eq!(claims.preferred_username.as_deref(), Some("octocat"));

        let unverified = json!([{"email": "x@example.com", "primary": true, "verified": false}]);
        assert!(!github_claims(&user, &unverified).email_verified);
        assert!(github_claims(&user, &json!([])).email.is_none());
    }

    #[test]
    fn a_discovery_url_names_its_issuer() {
        assert_eq!(
            issuer_of("https://accounts.google.com/.well-known/openid-configuration")
                .unwrap()
                .as_str(),
            "https://accounts.google.com"
        );
        assert!(issuer_of("https://accounts.google.com/").is_err());
    }
}
