//! Slowloris and idle connections: a client that connects and says nothing, sends its
//! headers a line at a time, or its body a byte at a time, holds a connection (never a
//! thread) and only until its time runs out. Against the real `flows serve` process, so
//! the 10,000 connections count against its own open-file limit, not the tests'.

use crate::outbox::Server;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const IDLE: usize = 10_000;
const SLOW_HEADERS: usize = 100;
const SLOW_BODIES: usize = 50;

/// Established TCP connections whose local end is the server's `port`, from the kernel's
/// table: the connections the server itself holds.
fn server_side_connections(port: u16) -> usize {
    let local = format!(":{port:04X} ");
    ["/proc/net/tcp", "/proc/net/tcp6"]
        .iter()
        .filter_map(|table| std::fs::read_to_string(table).ok())
        .map(|text| {
            text.lines()
                .skip(1)
                .filter(|line| {
                    let fields: Vec<&str> = line.split_whitespace().collect();
                    fields.len() > 3
                        && format!("{} ", fields[1]).ends_with(&local)
                        && fields[3] == "01"
                })
                .count()
        })
        .sum()
}

/// Connects `n` sockets that never send a byte, a few hundred at a time.
async fn idle_connections(port: u16, n: usize) -> Vec<TcpStream> {
    let mut open = Vec::with_capacity(n);
    while open.len() < n {
        let batch = (n - open.len()).min(500);
        let connected = futures_util::future::join_all(
            (0..batch).map(|_| TcpStream::connect(("127.0.0.1", port))),
        )
        .await;
        open.extend(connected.into_iter().map(|c| c.expect("connects")));
    }
    open
}

/// Sends `head` and then `drip` one piece every `every`, until the server closes; returns
/// what the server answered, if anything, and when.
async fn dribble(
    port: u16,
    head: String,
    drip: &'static [u8],
    every: Duration,
) -> (String, Duration) {
    let started = Instant::now();
    let mut stream = TcpStream::connect(("127.0.0.1", port))
        .await
        .expect("connects");
    if stream.write_all(head.as_bytes()).await.is_err() {
        return (String::new(), started.elapsed());
    }
    let mut answer = vec![0u8; 512];
    loop {
        tokio::select! {
            read = stream.read(&mut answer) => {
                let n = read.unwrap_or(0);
                return (String::from_utf8_lossy(&answer[..n]).into_owned(), started.elapsed());
            }
            _ = tokio::time::sleep(every) => {
                if stream.write_all(drip).await.is_err() {
                    return (String::new(), started.elapsed());
                }
            }
        }
        if started.elapsed() > Duration::from_secs(30) {
            return ("still open after 30 s".into(), started.elapsed());
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn ten_thousand_idle_and_slow_connections_neither_starve_nor_crash_the_server() {
    let dir = tempfile::tempdir().expect("dir");
    let database = format!("sqlite://{}", dir.path().join("flows.db").display());
    let server = Server::start_with(
        &database,
        "smtp://127.0.0.1:9",
        &[
            ("FLOWS_REQUEST_HEAD_TIMEOUT_MS", "2000"),
            ("FLOWS_REQUEST_BODY_TIMEOUT_MS", "3000"),
        ],
    )
    .await;
    let port: u16 = server
        .address
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .expect("port");

    let idle = idle_connections(port, IDLE).await;
    let slow_headers = (0..SLOW_HEADERS).map(|_| {
        let head = "GET /login HTTP/1.1\r\nHost: localhost\r\n".to_owned();
        tokio::spawn(dribble(
            port,
            head,
            b"X-Slow: 1\r\n",
            Duration::from_millis(300),
        ))
    });
    let slow_bodies = (0..SLOW_BODIES).map(|_| {
        let head = "POST /register HTTP/1.1\r\nHost: localhost\r\n\
                    Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 10000\r\n\r\n"
            .to_owned();
        tokio::spawn(dribble(port, head, b"a", Duration::from_millis(200)))
    });
    let (slow_headers, slow_bodies): (Vec<_>, Vec<_>) =
        (slow_headers.collect(), slow_bodies.collect());

    // Meanwhile a person's pages come as usual.
    let client = reqwest::Client::new();
    let mut slowest = Duration::ZERO;
    for _ in 0..30 {
        let started = Instant::now();
        let page = client
            .get(format!("{}/login", server.address))
            .send()
            .await
            .expect("the server answers");
        assert_eq!(page.status(), reqwest::StatusCode::OK);
        slowest = slowest.max(started.elapsed());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    eprintln!(
        "slow clients: {IDLE} idle, {SLOW_HEADERS} slow heads, {SLOW_BODIES} slow bodies; slowest page {slowest:?}"
    );
    assert!(slowest < Duration::from_secs(2), "a page took {slowest:?}");

    // Each slow client is cut off by its own deadline, not left open.
    for task in slow_headers {
        let (answer, after) = task.await.expect("task");
        assert!(
            answer.is_empty() || answer.starts_with("HTTP/1.1 408"),
            "slow head answered {answer:?}"
        );
        assert!(after < Duration::from_secs(5), "slow head held {after:?}");
    }
    for task in slow_bodies {
        let (answer, after) = task.await.expect("task");
        assert!(
            answer.is_empty() || answer.starts_with("HTTP/1.1 4"),
            "slow body answered {answer:?}"
        );
        assert!(after < Duration::from_secs(6), "slow body held {after:?}");
    }
    // And so is every idle one: the server holds none of them for long. Counted on the
    // server's side (a socket the kernel queued but never handed to the server, because its
    // accept queue was full, stays "open" on the client's side only).
    let started = Instant::now();
    let mut held = server_side_connections(port);
    while held > 10 && started.elapsed() < Duration::from_secs(30) {
        tokio::time::sleep(Duration::from_millis(250)).await;
        held = server_side_connections(port);
    }
    eprintln!(
        "slow clients: {held} connections held by the server after {:?}",
        started.elapsed()
    );
    assert!(held <= 10, "the server still holds {held} connections");
    drop(idle);
    let page = client
        .get(format!("{}/readyz", server.address))
        .send()
        .await
        .expect("still up");
    assert_eq!(page.status(), reqwest::StatusCode::OK);
}

#[tokio::test]
async fn a_body_over_the_ceiling_is_refused_with_413_whatever_the_route() {
    let app = crate::helpers::spawn_app().await;
    let client = reqwest::Client::new();
    for (path, content_type) in [
        ("/register", "application/x-www-form-urlencoded"),
        (
            "/admin/settings/branding/logo",
            "multipart/form-data; boundary=x",
        ),
        ("/api/server/v1/flow/execute", "application/json"),
    ] {
        let answer = client
            .post(format!("{}{path}", app.address))
            .header("content-type", content_type)
            .body(vec![b'a'; (1 << 20) + 1])
            .send()
            .await
            .expect("answers");
        assert_eq!(
            answer.status(),
            reqwest::StatusCode::PAYLOAD_TOO_LARGE,
            "{path}"
        );
    }
}
