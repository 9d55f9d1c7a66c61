//! Inputs whose cost is out of proportion (issue 16, item 8): a thread count
//! of 100,000 and phrase lists that would make one turn cost minutes are
//! bounded, with a message saying so.

use crate::workdir::mini_card;
use assert_cmd::Command;
use serde_json::json;

#[test]
fn threads_beyond_four_per_core_are_capped_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    let c = json!({"id": "C-1", "agent_id": "A001", "agent_name": "Иванова Мария", "channel": "voice",
        "turns": [{"speaker": "agent", "text": "Банк «Пример», здравствуйте!"},
                  {"speaker": "customer", "text": "Здравствуйте, вопрос по карте."}]});
    std::fs::write(input.join("C-1.json"), c.to_string()).unwrap();
    let started = std::time::Instant::now();
    let out = Command::cargo_bin("cqa")
        .unwrap()
        .args([
            "check",
            "--no-workbooks",
            "--threads",
            "100000",
            "--lang",
            "en",
            "-s",
        ])
        .arg(mini_card())
        .arg("-o")
        .arg(dir.path().join("out"))
        .arg(&input)
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let cap = (cores * 4).min(256);
    assert!(
        err.contains(&format!(
            "warning: --threads over 4 per core, lowered: 100000 → {cap}"
        )),
        "{err}"
    );
    assert!(started.elapsed().as_secs() < 30, "{:?}", started.elapsed());
}
