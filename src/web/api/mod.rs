//! The JSON APIs: the Flow Execution API (open, WSO2's shapes) and the flow management API
//! (admin tokens), plus their OpenAPI 3.1 document. Each module lists its routes as data
//! (`ApiRoute`) and mounts exactly those rows, so `ROUTES` below is what the server mounts;
//! a test compares it with the document's `paths` in both directions.

/// One row of a route table: `route!(POST "/path" => handler)`.
macro_rules! route {
    ($method:ident $path:expr => $handler:path) => {
        $crate::web::api::ApiRoute {
            method: ::actix_web::http::Method::$method,
            path: $path,
            handler: |m| ::actix_web::web::method(m).to($handler),
        }
    };
}

mod approvals;
mod codes;
pub(crate) mod connections;
mod cors;
mod errors;
mod execute;
mod extensions;
pub mod manage;
mod openapi;
mod wire;

use actix_web::http::Method;
use actix_web::web;

/// The media type a request says its body is (`application/json`), lower-cased, without
/// parameters; `None` when it says none.
pub(crate) fn media_type(req: &actix_web::HttpRequest) -> Option<String> {
    let value = req
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)?
        .to_str()
        .ok()?;
    Some(value.split(';').next()?.trim().to_ascii_lowercase())
}

/// Why a body could not be read within its limit.
pub(crate) enum BodyProblem {
    TooLarge,
    Broken(String),
}

/// Reads a request body, refusing it as soon as it passes `limit` bytes, so a flood is never
/// held in memory whole.
pub(crate) async fn read_limited(
    mut payload: web::Payload,
    limit: usize,
) -> Result<web::BytesMut, BodyProblem> {
    use futures_util::StreamExt;
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| BodyProblem::Broken(e.to_string()))?;
        if body.len() + chunk.len() > limit {
            return Err(BodyProblem::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// One mounted API route. `handler` receives this row's own `method` and becomes the route
/// at this row's own `path` (see each module's `routes`), so the table cannot name a route
/// that is not mounted, nor leave out one that is.
pub struct ApiRoute {
    pub method: Method,
    /// The actix path pattern, `{name}` segments included, as mounted.
    pub path: &'static str,
    pub handler: fn(Method) -> actix_web::Route,
}

impl ApiRoute {
    /// The actix route for this row: its handler, guarded by its method.
    pub fn route(&self) -> actix_web::Route {
        (self.handler)(self.method.clone())
    }
}

/// Every API route the server mounts, in the order it mounts them.
pub fn all_routes() -> impl Iterator<Item = &'static ApiRoute> {
    openapi::ROUTES
        .iter()
        .chain(execute::ROUTES)
        .chain(manage::ROUTES)
}

/// The API routes with a fixed path. Mounted before every other route: actix tries routes in
/// order and matches each one with a `{…}` segment by regex, so a request that reaches its
/// route past the console's forty patterns pays for forty regex searches (a tenth of the
/// API's CPU, measured with perf).
pub fn fixed_routes(cfg: &mut web::ServiceConfig) {
    mount(cfg, |path| !path.contains('{'));
}

/// The API routes with a `{…}` segment (the tenant form, the management API): mounted after
/// the hosted pages, so those do not pay for their patterns either.
pub fn patterned_routes(cfg: &mut web::ServiceConfig) {
    mount(cfg, |path| path.contains('{'));
    manage::routes(cfg);
}

/// One resource per path of the document and the execution API that `which` picks, with
/// its rows' methods; any other method gets a JSON 405 that names them in `Allow`.
fn mount(cfg: &mut web::ServiceConfig, which: fn(&str) -> bool) {
    let rows: Vec<&ApiRoute> = openapi::ROUTES
        .iter()
        .chain(execute::ROUTES)
        .filter(|row| which(row.path))
        .collect();
    for (resource, allow) in resources_by_path(&rows) {
        cfg.service(
            resource.default_service(web::to(move |req: actix_web::HttpRequest| {
                let refusal = errors::ApiError::method_not_allowed(
                    errors::Api::Execute,
                    req.method().as_str(),
                    req.path(),
                    &allow,
                );
                async move { actix_web::ResponseError::error_response(&refusal) }
            })),
        );
    }
}

/// Each path of `rows`, in the order it first appears, as a resource holding those rows'
/// routes, with the methods it takes (the `Allow` of a method it refuses). Each API adds its
/// own refusal as the resource's default service.
pub(crate) fn resources_by_path(rows: &[&ApiRoute]) -> Vec<(actix_web::Resource, String)> {
    let mut paths: Vec<&'static str> = Vec::new();
    for row in rows {
        if !paths.contains(&row.path) {
            paths.push(row.path);
        }
    }
    paths
        .into_iter()
        .map(|path| {
            let on_path = rows.iter().filter(|row| row.path == path);
            let allow = on_path
                .clone()
                .map(|row| row.method.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            let resource = on_path.fold(web::resource(path), |resource, row| {
                resource.route(row.route())
            });
            (resource, allow)
        })
        .collect()
}

/// Two sets that must hold the same items, each named: the failure lists what only one has.
#[cfg(test)]
pub(crate) fn assert_same_set<T: Ord + std::fmt::Debug>(
    (a_name, a): (&str, &std::collections::BTreeSet<T>),
    (b_name, b): (&str, &std::collections::BTreeSet<T>),
) {
    let only_a: Vec<_> = a.difference(b).collect();
    let only_b: Vec<_> = b.difference(a).collect();
    assert!(only_a.is_empty(), "{a_name}, not {b_name}: {only_a:?}");
    assert!(only_b.is_empty(), "{b_name}, not {a_name}: {only_b:?}");
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// `{anything}` becomes `{}`: actix and OpenAPI may name a parameter differently (or give
    /// actix a regex), which does not make it another route.
    fn normalised(path: &str) -> String {
        let mut out = String::new();
        let mut depth = 0;
        for c in path.chars() {
            match c {
                '{' => {
                    if depth == 0 {
                        out.push_str("{}");
                    }
                    depth += 1;
                }
                '}' => depth -= 1,
                _ if depth == 0 => out.push(c),
                _ => {}
            }
        }
        out
    }

    const METHODS: [&str; 8] = [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];

    fn documented() -> BTreeSet<(String, String)> {
        let doc = openapi::document();
        let mut out = BTreeSet::new();
        for (path, item) in doc["paths"].as_object().unwrap() {
            for method in item.as_object().unwrap().keys() {
                if METHODS.contains(&method.as_str()) {
                    out.insert((method.to_uppercase(), normalised(path)));
                }
            }
        }
        out
    }

    fn mounted() -> BTreeSet<(String, String)> {
        all_routes()
            .map(|r| (r.method.as_str().to_owned(), normalised(r.path)))
            .collect()
    }

    #[test]
    fn the_document_describes_exactly_the_mounted_routes() {
        let documented = documented();
        let mounted = mounted();
        assert_same_set(("mounted", &mounted), ("documented", &documented));
        assert_eq!(
            mounted.len(),
            all_routes().count(),
            "a route is mounted twice"
        );
    }

    #[test]
    fn normalising_keeps_literal_segments() {
        assert_eq!(normalised("/t/{tenant}/x"), "/t/{}/x");
        assert_eq!(normalised("/a/{v:[0-9]{1,3}}/b"), "/a/{}/b");
        assert_ne!(normalised("/a/{x}"), normalised("/b/{x}"));
    }

    #[test]
    fn every_path_parameter_is_declared_and_every_operation_is_whole() {
        let doc = openapi::document();
        let mut ids = BTreeSet::new();
        for (path, item) in doc["paths"].as_object().unwrap() {
            let names: BTreeSet<&str> = path
                .split('{')
                .skip(1)
                .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
                .collect();
            for (method, op) in item.as_object().unwrap() {
                let declared: BTreeSet<&str> = op["parameters"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter(|p| p["in"] == "path")
                    .map(|p| p["name"].as_str().unwrap())
                    .collect();
                assert_eq!(declared, names, "{method} {path}: path parameters");
                let id = op["operationId"].as_str().unwrap();
                assert!(ids.insert(id.to_owned()), "operationId {id} twice");
                assert!(
                    !op["responses"].as_object().unwrap().is_empty(),
                    "{method} {path}"
                );
                // The bearer token is the management API's only, and all of it needs one.
                let secured = op.get("security").is_some();
                assert_eq!(
                    secured,
                    manage::is_managed(path),
                    "{method} {path}: security"
                );
            }
        }
    }

    /// Every named schema compiles as JSON Schema 2020-12 (request bodies included, which
    /// the journey tests do not validate answers against), with its `$ref`s resolved in the
    /// document.
    #[test]
    fn every_schema_compiles_as_draft_2020_12() {
        let doc = openapi::document();
        let base = "urn:flows:openapi";
        let registry = jsonschema::Registry::new()
            .add(base, doc.clone())
            .unwrap()
            .prepare()
            .unwrap();
        let schemas = doc["components"]["schemas"].as_object().unwrap();
        for name in schemas.keys() {
            let wrapper = serde_json::json!({"$ref": format!("{base}#/components/schemas/{name}")});
            jsonschema::options()
                .with_draft(jsonschema::Draft::Draft202012)
                .with_registry(&registry)
                .build(&wrapper)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
        }
        let check = |name: &str, instance: serde_json::Value| {
            let wrapper = serde_json::json!({"$ref": format!("{base}#/components/schemas/{name}")});
            jsonschema::options()
                .with_registry(&registry)
                .build(&wrapper)
                .unwrap()
                .is_valid(&instance)
        };
        assert!(check("RollbackRequest", serde_json::json!({"version": 1})));
        assert!(check(
            "EnabledRequest",
            serde_json::json!({"enabled": false})
        ));
        assert!(check(
            "ExecuteRequest",
            serde_json::json!({"flowType": "REGISTRATION", "inputs": {"terms": true}})
        ));
        assert!(!check(
            "ExecuteRequest",
            serde_json::json!({"isAdmin": true})
        ));
    }

    #[test]
    fn every_reference_resolves() {
        let doc = openapi::document();
        fn walk(v: &serde_json::Value, doc: &serde_json::Value) {
            match v {
                serde_json::Value::Object(map) => {
                    if let Some(r) = map.get("$ref").and_then(|r| r.as_str()) {
                        let pointer = r.strip_prefix('#').unwrap();
                        assert!(doc.pointer(pointer).is_some(), "{r} resolves to nothing");
                    }
                    map.values().for_each(|v| walk(v, doc));
                }
                serde_json::Value::Array(items) => items.iter().for_each(|v| walk(v, doc)),
                _ => {}
            }
        }
        walk(&doc, &doc);
        assert_eq!(doc["openapi"], "3.1.0");
        assert_eq!(doc["info"]["version"], env!("CARGO_PKG_VERSION"));
    }
}
