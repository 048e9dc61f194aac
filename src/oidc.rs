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
fn client(
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
        let http = client(allow_private);
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
        let http = client_for(self.allow_private);
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

fn client_for(
    allow_private: bool,
) -> impl Fn(
    HttpRequest,
) -> std::pin::Pin<Box<dyn Future<Output = Result<HttpResponse, HttpError>> + Send>> {
    client(allow_private)
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
