//! What a `CallExtension` step adds to a person's wait, against a receiver on this machine:
//! `cargo bench --bench extension` (README.md, "Benchmarks").
//!
//! One server (SQLite, mail to a folder) and one receiver that answers `allow` at once.
//! Through the execution API, rounds alternate two published flows a few seconds apart: a
//! view whose button leads straight to the end, and the same with a `CallExtension` step
//! between. Each round times `ROUND` continues of each (a start first, not timed); the
//! overhead is the difference of the medians, per call, and the receiver's own round trip
//! (timed from here, as Flows calls it: a fresh connection each time) is printed beside it.

use actix_web::{App, HttpResponse, HttpServer, web};
use flows::clock::SystemClock;
use flows::config::Settings;
use flows::engine::{Actor, FlowDefinition, NewExtension};
use flows::startup::Application;
use serde_json::{Value, json};
use std::net::TcpListener;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

const ROUNDS: usize = 5;
const ROUND: usize = 200;
const EXECUTE: &str = "/api/server/v1/flow/execute";

fn main() -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("extension bench: cannot start the runtime: {e}");
            return ExitCode::from(2);
        }
    };
    match runtime.block_on(run()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("extension bench: {e}");
            ExitCode::FAILURE
        }
    }
}

fn flow(with_call: bool) -> anyhow::Result<FlowDefinition> {
    let next = if with_call { "check" } else { "done" };
    let mut steps = vec![
        json!({"id": "details", "type": "VIEW", "components": [
            {"id": "heading", "type": "TYPOGRAPHY", "variant": "H1", "config": {"text": "Details"}},
            {"id": "form", "type": "FORM", "components": [
                {"id": "email", "type": "INPUT", "variant": "EMAIL", "config": {"identifier": "email", "label": "E-mail", "required": true}},
                {"id": "continue", "type": "BUTTON", "variant": "PRIMARY", "actionId": "continue", "config": {"text": "Continue", "type": "submit"}}
            ]}
        ], "actions": [{"ref": "continue", "next": next}]}),
        json!({"id": "done", "type": "END", "components": [
            {"id": "heading", "type": "TYPOGRAPHY", "variant": "H1", "config": {"text": "Done"}}
        ]}),
    ];
    if with_call {
        steps.push(
            json!({"id": "check", "type": "TASK", "executor": "CallExtension",
            "extension": "bench", "next": {"success": "done"}}),
        );
    }
    let def: FlowDefinition = serde_json::from_value(json!({
        "flowType": "REGISTRATION", "name": if with_call { "with call" } else { "without" },
        "start": "details", "steps": steps
    }))?;
    anyhow::ensure!(def.validate().is_empty(), "{:?}", def.validate());
    Ok(def)
}

async fn run() -> anyhow::Result<()> {
    // The receiver: `allow`, at once.
    let receiver = TcpListener::bind("127.0.0.1:0")?;
    let receiver_url = format!("http://{}/hook", receiver.local_addr()?);
    tokio::spawn(
        HttpServer::new(|| {
            App::new().route(
                "/hook",
                web::post().to(|| async { HttpResponse::Ok().json(json!({"action": "allow"})) }),
            )
        })
        .workers(1)
        .listen(receiver)?
        .run(),
    );

    let dir = tempfile::tempdir()?;
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let address = format!("http://{}", listener.local_addr()?);
    let settings = Settings {
        listen: listener.local_addr()?,
        public_url: address.clone(),
        database_url: format!("sqlite://{}", dir.path().join("flows.db").display()),
        mail_dir: dir.path().join("mail"),
        log: "error".into(),
        extension_allow_private: true,
        rate_limit_per_minute: 1_000_000,
        rate_limit_burst: 1_000_000,
        ..Settings::default()
    };
    let app = Application::build_on(settings.clone(), Arc::new(SystemClock), listener).await?;
    tokio::spawn(app.run_until_stopped());
    let engine = Application::engine_only(&settings).await?;
    let added = engine
        .add_extension(
            &NewExtension {
                name: "bench".into(),
                url: receiver_url.clone(),
                secret: "whsec_c2VjcmV0LWZvci10aGUtZXh0ZW5zaW9uLWJlbmNo".into(),
                send_attributes: vec!["email".into()],
                ..NewExtension::default()
            },
            &Actor::cli(),
        )
        .await?;
    anyhow::ensure!(added.is_ok(), "{added:?}");

    let client = reqwest::Client::builder().build()?;
    let mut without = Vec::new();
    let mut with = Vec::new();
    for round in 0..ROUNDS {
        for with_call in [false, true] {
            let published = engine
                .import_and_publish(&flow(with_call)?, "bench", &Actor::cli())
                .await?;
            anyhow::ensure!(published.is_ok(), "{published:?}");
            let mut times = Vec::with_capacity(ROUND);
            for n in 0..ROUND {
                let view: Value = client
                    .post(format!("{address}{EXECUTE}"))
                    .json(&json!({"flowType": "REGISTRATION"}))
                    .send()
                    .await?
                    .json()
                    .await?;
                let started = Instant::now();
                let done: Value = client
                    .post(format!("{address}{EXECUTE}"))
                    .json(&json!({"flowId": view["flowId"], "actionId": "continue",
                        "inputs": {"email": format!("bench{round}.{n}@example.com")}}))
                    .send()
                    .await?
                    .json()
                    .await?;
                times.push(started.elapsed());
                anyhow::ensure!(done["flowStatus"] == "COMPLETE", "{done}");
            }
            if with_call { &mut with } else { &mut without }.push(median(times));
        }
    }
    // The receiver as Flows reaches it: a new connection per call.
    let mut direct = Vec::with_capacity(ROUND);
    for _ in 0..ROUND {
        let fresh = reqwest::Client::builder()
            .pool_max_idle_per_host(0)
            .build()?;
        let started = Instant::now();
        fresh
            .post(&receiver_url)
            .body("{}")
            .send()
            .await?
            .bytes()
            .await?;
        direct.push(started.elapsed());
    }
    let (without, with) = (median(without), median(with));
    println!("extension call overhead, {ROUNDS} rounds of {ROUND} continues each, medians:");
    println!("  continue without the call  {:>8.3} ms", ms(without));
    println!("  continue with the call     {:>8.3} ms", ms(with));
    println!(
        "  overhead per call          {:>8.3} ms",
        ms(with.saturating_sub(without))
    );
    println!(
        "  receiver round trip alone  {:>8.3} ms (new connection, as Flows makes)",
        ms(median(direct))
    );
    Ok(())
}

fn median(mut values: Vec<Duration>) -> Duration {
    values.sort_unstable();
    values.get(values.len() / 2).copied().unwrap_or_default()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
