//! A stand-in for an OpenAI-compatible server: answers each
//! chat-completions request with what the test says, and records what
//! reached it (headers and body), how many requests were in flight at once.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What the server does with one request.
pub enum Answer {
    /// This status and body.
    Status(u16, String),
    /// Waits this long first (a slow or hung model), then answers.
    Slow(Duration, Box<Answer>),
    /// Closes the connection without a word (the server died).
    Hang,
}

/// A model reply with `content` as the assistant's message.
pub fn content(text: &str) -> Answer {
    Answer::Status(
        200,
        json!({"choices": [{"index": 0, "message": {"role": "assistant", "content": text},
            "finish_reason": "stop"}]})
        .to_string(),
    )
}

/// A verdict as a schema-constrained model writes it.
pub fn verdict(answer: &str, quote: &str, turn: usize) -> Answer {
    content(&json!({"answer": answer, "quote": quote, "turn": turn}).to_string())
}

/// One request as it reached the server.
#[derive(Debug, Clone)]
pub struct Seen {
    pub head: String,
    pub body: Value,
    pub raw: String,
}

impl Seen {
    /// The transcript part of the prompt (the user message).
    pub fn prompt(&self) -> String {
        self.body["messages"][1]["content"]
            .as_str()
            .unwrap_or("")
            .to_string()
    }
}

pub struct Server {
    pub url: String,
    pub seen: Arc<Mutex<Vec<Seen>>>,
    pub max_in_flight: Arc<AtomicUsize>,
}

impl Server {
    pub fn requests(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

type Responder = dyn Fn(&Seen, usize) -> Answer + Send + Sync;

/// Starts a server on 127.0.0.1:0; `respond` gets each request and its
/// number (from 0, in arrival order).
pub fn start(respond: impl Fn(&Seen, usize) -> Answer + Send + Sync + 'static) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/v1", listener.local_addr().unwrap());
    let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
    let max_in_flight: Arc<AtomicUsize> = Arc::default();
    let in_flight: Arc<AtomicUsize> = Arc::default();
    let respond: Arc<Responder> = Arc::new(respond);
    let (s, m) = (seen.clone(), max_in_flight.clone());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (s, m, f, r) = (s.clone(), m.clone(), in_flight.clone(), respond.clone());
            std::thread::spawn(move || {
                let _ = handle(stream, &s, &*r, (&f, &m));
            });
        }
    });
    Server {
        url,
        seen,
        max_in_flight,
    }
}

/// Serves one connection; a request counts as in flight from when it has
/// been read until its answer is written.
fn handle(
    stream: TcpStream,
    seen: &Mutex<Vec<Seen>>,
    respond: &Responder,
    (in_flight, max): (&AtomicUsize, &AtomicUsize),
) -> std::io::Result<()> {
    let mut r = BufReader::new(stream.try_clone()?);
    let mut head = String::new();
    loop {
        let mut line = String::new();
        if r.read_line(&mut line)? == 0 {
            return Ok(());
        }
        if line == "\r\n" {
            break;
        }
        head.push_str(&line);
    }
    let len = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse::<usize>().ok())
                .flatten()
        })
        .unwrap_or(0);
    let mut body = vec![0; len];
    r.read_exact(&mut body)?;
    let raw = String::from_utf8_lossy(&body).into_owned();
    let req = Seen {
        head,
        body: serde_json::from_str(&raw).unwrap_or(Value::Null),
        raw,
    };
    let n = {
        let mut s = seen.lock().unwrap();
        s.push(req.clone());
        s.len() - 1
    };
    let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    max.fetch_max(now, Ordering::SeqCst);
    let mut answer = respond(&req, n);
    let mut out = stream;
    let done = Leave(in_flight);
    loop {
        match answer {
            Answer::Slow(d, then) => {
                std::thread::sleep(d);
                answer = *then;
            }
            Answer::Hang => return Ok(()),
            Answer::Status(code, body) => {
                // Out of flight before the client can see the answer.
                drop(done);
                write!(
                    out,
                    "HTTP/1.1 {code} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                )?;
                return out.flush();
            }
        }
    }
}

/// Counts a request out of flight however its answer ends.
struct Leave<'a>(&'a AtomicUsize);

impl Drop for Leave<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}
