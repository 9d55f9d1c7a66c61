//! The language-model judge against a local stand-in server that plays back
//! recorded and malformed answers: `cqa check` (the real binary) in a
//! temporary folder, with `--judge-url` pointing at the stand-in.

use crate::judge::fixture::*;
use crate::judge::server::{content, start, verdict, Answer};
use assert_cmd::Command;
use serde_json::{json, Value};
use std::time::Duration;

#[test]
fn a_yes_quoting_the_agent_passes_with_the_quote_and_its_turn() {
    let s = start(|_, _| quoted_yes());
    let dir = setup(json!({}), 1);
    check(dir.path(), "out", Some(&s.url), &[]);
    let c = &judged(dir.path(), "out")[0];
    assert_eq!(c["status"], "pass");
    let reason = c["reason"].as_str().unwrap();
    assert!(reason.contains(QUESTION), "{reason}");
    assert!(reason.contains("Ответ модели: да"), "{reason}");
    assert!(
        reason.contains("«Подскажите, что пишет терминал при оплате?» (реплика 3 (0:06))"),
        "{reason}"
    );
    assert_eq!(c["evidence"][0]["turn"], 2);
    assert_eq!(c["evidence"][0]["speaker"], "agent");
}

#[test]
fn a_rerun_asks_nothing_and_writes_identical_results() {
    let s = start(|_, _| quoted_yes());
    let dir = setup(json!({}), 3);
    check(dir.path(), "first", Some(&s.url), &[]);
    assert_eq!(s.requests().len(), 3);
    check(dir.path(), "second", Some(&s.url), &[]);
    assert_eq!(
        s.requests().len(),
        3,
        "the second run is served from the cache"
    );
    let j = &run_json(dir.path(), "second")["judge"];
    assert_eq!(
        (j["requests"].as_u64(), j["cache_hits"].as_u64()),
        (Some(0), Some(3))
    );
    let read = |o: &str| std::fs::read(dir.path().join(o).join("results.jsonl")).unwrap();
    assert_eq!(read("first"), read("second"));
}

/// Identical windows (here: eight calls with the same words) share one cache
/// key. Asked at once, each misses the cache and a server may answer each
/// differently (llama.cpp reuses its attention cache from the previous
/// prompt): every contact must get the one answer the cache keeps, or a
/// re-run, which reads that answer for all of them, would differ.
#[test]
fn identical_windows_asked_at_once_all_get_the_answer_the_cache_keeps() {
    let s = start(|_, n| {
        let answer = if n % 2 == 0 {
            quoted_yes()
        } else {
            verdict("no", "Подскажите, что пишет терминал при оплате?", 3)
        };
        Answer::Slow(Duration::from_millis(300), Box::new(answer))
    });
    let dir = setup(json!({}), 0);
    for i in 1..=8 {
        let mut c = call("C-001");
        c["id"] = json!(format!("C-{i:03}"));
        std::fs::write(dir.path().join(format!("in/C-{i:03}.json")), c.to_string()).unwrap();
    }
    check(
        dir.path(),
        "first",
        Some(&s.url),
        &["--judge-concurrency", "4"],
    );
    assert!(
        s.requests().len() >= 2,
        "the same question went out at once more than once"
    );
    let statuses: Vec<Value> = judged(dir.path(), "first")
        .iter()
        .map(|c| c["status"].clone())
        .collect();
    assert!(statuses.iter().all(|s| *s == statuses[0]), "{statuses:?}");
    let asked = s.requests().len();
    check(
        dir.path(),
        "second",
        Some(&s.url),
        &["--judge-concurrency", "4"],
    );
    assert_eq!(s.requests().len(), asked, "the re-run asks nothing");
    let read = |o: &str| std::fs::read(dir.path().join(o).join("results.jsonl")).unwrap();
    assert_eq!(read("first"), read("second"));
}

/// Under `--judge-refresh` a question is asked again once per run: the new
/// answer replaces the old one and serves every contact with that window,
/// as the next run (from the cache) will.
#[test]
fn judge_refresh_asks_each_question_once_and_the_next_run_reads_its_answer() {
    let s = start(|_, n| match n {
        1 => verdict("no", "Подскажите, что пишет терминал при оплате?", 3),
        _ => quoted_yes(),
    });
    let dir = setup(json!({}), 0);
    for i in 1..=2 {
        let mut c = call("C-001");
        c["id"] = json!(format!("C-{i:03}"));
        std::fs::write(dir.path().join(format!("in/C-{i:03}.json")), c.to_string()).unwrap();
    }
    let one_at_a_time = ["--threads", "1", "--judge-concurrency", "1"];
    check(dir.path(), "first", Some(&s.url), &one_at_a_time);
    let mut refresh = one_at_a_time.to_vec();
    refresh.push("--judge-refresh");
    check(dir.path(), "refreshed", Some(&s.url), &refresh);
    assert_eq!(s.requests().len(), 2, "one question, asked once a run");
    let statuses = |o: &str| -> Vec<Value> {
        judged(dir.path(), o)
            .iter()
            .map(|c| c["status"].clone())
            .collect()
    };
    assert_eq!(statuses("refreshed"), [json!("fail"), json!("fail")]);
    check(dir.path(), "again", Some(&s.url), &one_at_a_time);
    assert_eq!(s.requests().len(), 2);
    let read = |o: &str| std::fs::read(dir.path().join(o).join("results.jsonl")).unwrap();
    assert_eq!(read("refreshed"), read("again"));
}

#[test]
fn judge_refresh_asks_again_despite_the_cache() {
    let s = start(|_, _| quoted_yes());
    let dir = setup(json!({}), 1);
    check(dir.path(), "first", Some(&s.url), &[]);
    check(dir.path(), "second", Some(&s.url), &["--judge-refresh"]);
    assert_eq!(s.requests().len(), 2);
}

#[test]
fn a_fabricated_quote_is_review_not_a_verdict() {
    let s = start(|_, _| verdict("yes", "Я понимаю ваше беспокойство, давайте разберёмся", 3));
    let dir = setup(json!({}), 1);
    check(dir.path(), "out", Some(&s.url), &[]);
    let c = &judged(dir.path(), "out")[0];
    assert_eq!(c["status"], "review");
    assert!(c["reason"]
        .as_str()
        .unwrap()
        .contains("модель не привела цитату из разговора"));
    assert_eq!(c["evidence"], json!([]));
}

#[test]
fn a_quote_of_the_customer_is_review_for_a_question_about_the_agent() {
    let s = start(|_, _| verdict("yes", "у меня не проходит оплата картой", 2));
    let dir = setup(json!({}), 1);
    check(dir.path(), "out", Some(&s.url), &[]);
    let c = &judged(dir.path(), "out")[0];
    assert_eq!(c["status"], "review");
    assert!(
        c["reason"]
            .as_str()
            .unwrap()
            .contains("не из реплик оператора"),
        "{}",
        c["reason"]
    );
}

#[test]
fn a_wrong_turn_number_does_not_hide_a_real_quote() {
    let s = start(|_, _| verdict("yes", "что пишет терминал", 1));
    let dir = setup(json!({}), 1);
    check(dir.path(), "out", Some(&s.url), &[]);
    let c = &judged(dir.path(), "out")[0];
    assert_eq!(c["status"], "pass");
    assert_eq!(c["evidence"][0]["turn"], 2);
}

#[test]
fn na_needs_no_quote() {
    let s = start(|_, _| verdict("na", "", 0));
    let dir = setup(json!({}), 1);
    check(dir.path(), "out", Some(&s.url), &[]);
    assert_eq!(judged(dir.path(), "out")[0]["status"], "na");
}

#[test]
fn a_question_about_a_violation_passes_on_a_quoted_no() {
    let s = start(|_, _| verdict("no", "Вижу, карта заблокирована", 5));
    let dir = setup(
        json!({"question": "Оператор перебивал клиента?", "pass_when": "no"}),
        1,
    );
    check(dir.path(), "out", Some(&s.url), &[]);
    assert_eq!(judged(dir.path(), "out")[0]["status"], "pass");
}

#[test]
fn a_quoted_no_fails_and_counts_as_an_error() {
    let s = start(|_, _| verdict("no", "Вижу, карта заблокирована", 5));
    let dir = setup(json!({}), 1);
    check(dir.path(), "out", Some(&s.url), &[]);
    let r = &results(dir.path(), "out")[0];
    assert_eq!(r["criteria"][1]["status"], "fail");
    assert_eq!(r["score"], 20.0, "1 of the 5 weight points");
    assert_eq!(r["partial"], false);
}

#[test]
fn a_timeout_is_review_with_the_cause_and_every_contact_is_kept() {
    let s = start(|_, _| Answer::Slow(Duration::from_secs(3), Box::new(quoted_yes())));
    let dir = setup(json!({}), 2);
    check(dir.path(), "out", Some(&s.url), &["--judge-timeout", "1"]);
    let r = results(dir.path(), "out");
    assert_eq!(r.len(), 2);
    for x in &r {
        let c = &x["criteria"][1];
        assert_eq!(c["status"], "review");
        assert!(
            c["reason"]
                .as_str()
                .unwrap()
                .contains("истекло время ожидания ответа (1 с)"),
            "{}",
            c["reason"]
        );
        assert_eq!(
            x["criteria"][0]["status"], "pass",
            "the rest of the card is decided"
        );
        assert_eq!(x["partial"], true);
        assert_eq!(x["score"], 100.0, "review leaves the score like pending");
    }
    assert_eq!(run_json(dir.path(), "out")["judge"]["errors"], 2);
}

#[test]
fn an_http_500_is_review_with_the_status_and_is_not_cached() {
    let s = start(|_, _| Answer::Status(500, r#"{"error": "out of memory"}"#.into()));
    let dir = setup(json!({}), 1);
    check(dir.path(), "out", Some(&s.url), &[]);
    let c = &judged(dir.path(), "out")[0];
    assert_eq!(c["status"], "review");
    assert!(
        c["reason"].as_str().unwrap().contains("ошибка HTTP 500"),
        "{}",
        c["reason"]
    );
    check(dir.path(), "again", Some(&s.url), &[]);
    assert_eq!(s.requests().len(), 2, "a failure is asked again next run");
}

#[test]
fn invalid_json_is_review_with_the_cause() {
    let s = start(|_, _| content("Да, оператор уточнил проблему."));
    let dir = setup(json!({}), 1);
    check(dir.path(), "out", Some(&s.url), &[]);
    let c = &judged(dir.path(), "out")[0];
    assert_eq!(c["status"], "review");
    assert!(
        c["reason"].as_str().unwrap().contains("некорректный ответ"),
        "{}",
        c["reason"]
    );
}

#[test]
fn a_broken_response_body_is_review() {
    let s = start(|_, _| Answer::Status(200, "{\"choices\": [".into()));
    let dir = setup(json!({}), 1);
    check(dir.path(), "out", Some(&s.url), &[]);
    assert_eq!(judged(dir.path(), "out")[0]["status"], "review");
}

#[test]
fn a_server_without_json_schema_support_is_asked_again_and_answers_in_plain_text() {
    let s = start(|req, _| {
        if req.body.get("response_format").is_some() {
            Answer::Status(
                400,
                r#"{"error": "response_format is not supported"}"#.into(),
            )
        } else {
            content("Ответ:\n```json\n{\"answer\": \"yes\", \"quote\": \"Подскажите, что пишет терминал\", \"turn\": 3}\n```")
        }
    });
    let dir = setup(json!({}), 1);
    check(
        dir.path(),
        "out",
        Some(&s.url),
        &["--judge-concurrency", "1"],
    );
    assert_eq!(judged(dir.path(), "out")[0]["status"], "pass");
    let formats: Vec<Value> = s
        .requests()
        .iter()
        .map(|r| r.body["response_format"]["type"].clone())
        .collect();
    assert_eq!(
        formats,
        [json!("json_schema"), json!("json_object"), Value::Null]
    );
    assert_eq!(run_json(dir.path(), "out")["judge"]["requests"], 3);
}

#[test]
fn requests_ask_for_determinism_and_the_schema() {
    let s = start(|_, _| quoted_yes());
    let dir = setup(json!({}), 1);
    check(dir.path(), "out", Some(&s.url), &[]);
    let b = &s.requests()[0].body;
    assert_eq!(b["temperature"], 0);
    assert!(b["seed"].is_u64());
    assert_eq!(b["model"], "test-model");
    let props = &b["response_format"]["json_schema"]["schema"]["properties"];
    assert_eq!(props["answer"]["enum"], json!(["yes", "no", "na"]));
    // The only quotes allowed: the agent's turns, verbatim.
    assert_eq!(
        props["quote"]["enum"],
        json!([
            "Банк «Пример», Мария, здравствуйте!",
            "Подскажите, что пишет терминал при оплате?",
            "Вижу, карта заблокирована после трёх неверных ПИН-кодов, снимаю блокировку."
        ])
    );
}

/// A logprobs block where "yes" has `p` of the answers' probability.
fn yes_with(p: f64) -> Answer {
    let text =
        r#"{"answer": "yes", "quote": "Подскажите, что пишет терминал при оплате?", "turn": 3}"#;
    let head = r#"{"answer": ""#;
    let tokens = json!([
        {"token": head, "logprob": 0.0, "top_logprobs": []},
        {"token": "yes", "logprob": p.ln(), "top_logprobs": [
            {"token": "yes", "logprob": p.ln()}, {"token": "no", "logprob": (1.0 - p).ln()}]},
        {"token": &text[head.len() + 3..], "logprob": 0.0, "top_logprobs": []}
    ]);
    Answer::Status(
        200,
        json!({"choices": [{"message": {"role": "assistant", "content": text},
            "logprobs": {"content": tokens}}]})
        .to_string(),
    )
}

#[test]
fn an_answer_below_min_confidence_is_review() {
    let s = start(|_, _| yes_with(0.6));
    let dir = setup(json!({"min_confidence": 0.8}), 1);
    check(dir.path(), "out", Some(&s.url), &[]);
    let c = &judged(dir.path(), "out")[0];
    assert_eq!(c["status"], "review");
    assert!(
        c["reason"]
            .as_str()
            .unwrap()
            .contains("уверенность модели 60% ниже порога 80%"),
        "{}",
        c["reason"]
    );
}

#[test]
fn an_answer_above_min_confidence_stands_with_its_confidence() {
    let s = start(|_, _| yes_with(0.95));
    let dir = setup(json!({}), 1);
    check(dir.path(), "out", Some(&s.url), &[]);
    let c = &judged(dir.path(), "out")[0];
    assert_eq!(c["status"], "pass");
    assert!(
        c["reason"].as_str().unwrap().contains("уверенность 95%"),
        "{}",
        c["reason"]
    );
}

#[test]
fn a_card_number_never_reaches_the_server() {
    let s = start(|_, _| quoted_yes());
    let dir = setup(json!({}), 1);
    check(dir.path(), "out", Some(&s.url), &[]);
    let raw = &s.requests()[0].raw;
    let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
    assert!(
        !raw.contains(CARD_NUMBER) && !digits.contains("4512"),
        "{raw}"
    );
    assert!(
        s.requests()[0].prompt().contains("Номер карты"),
        "the turn itself is sent"
    );
    assert_eq!(run_json(dir.path(), "out")["judge"]["masked"], true);
}

#[test]
fn with_no_mask_the_transcript_goes_as_it_is() {
    let s = start(|_, _| quoted_yes());
    let dir = setup(json!({}), 1);
    check(dir.path(), "out", Some(&s.url), &["--no-mask"]);
    assert!(s.requests()[0].prompt().contains(CARD_NUMBER));
    assert_eq!(run_json(dir.path(), "out")["judge"]["masked"], false);
}

#[test]
fn the_api_key_is_sent_but_never_written_or_printed() {
    const KEY: &str = "sk-test-7f3a9c1e5b";
    let s = start(|_, _| quoted_yes());
    let dir = setup(json!({}), 1);
    let o = Command::cargo_bin("cqa")
        .unwrap()
        .current_dir(dir.path())
        .args([
            "check",
            "in",
            "-s",
            "card.json",
            "--out",
            "out",
            "--judge-cache",
            "cache.sqlite",
        ])
        .args(["--judge-url", &s.url])
        .env("CQA_JUDGE_API_KEY", KEY)
        .output()
        .unwrap();
    assert!(o.status.success());
    assert!(s.requests()[0].head.contains(&format!("Bearer {KEY}")));
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(!printed.contains(KEY));
    for f in walk(dir.path()) {
        let bytes = std::fs::read(&f).unwrap();
        assert!(
            !bytes.windows(KEY.len()).any(|w| w == KEY.as_bytes()),
            "the key is in {}",
            f.display()
        );
    }
}

#[test]
fn without_a_url_judge_criteria_are_review_and_the_rest_is_scored() {
    let dir = setup(json!({}), 1);
    let o = check(dir.path(), "out", None, &[]);
    let r = &results(dir.path(), "out")[0];
    assert_eq!(r["criteria"][0]["status"], "pass");
    assert_eq!(r["criteria"][1]["status"], "review");
    assert!(r["criteria"][1]["reason"]
        .as_str()
        .unwrap()
        .contains("модель не настроена"));
    assert_eq!(r["score"], 100.0);
    assert_eq!(run_json(dir.path(), "out")["judge"]["configured"], false);
    assert!(String::from_utf8_lossy(&o.stdout).contains("модель не настроена"));
}

#[test]
fn requests_go_out_concurrently_and_results_keep_input_order() {
    let s = start(|_, _| Answer::Slow(Duration::from_millis(400), Box::new(quoted_yes())));
    let dir = setup(json!({}), 8);
    check(
        dir.path(),
        "out",
        Some(&s.url),
        &["--threads", "1", "--judge-concurrency", "4"],
    );
    let max = s.max_in_flight.load(std::sync::atomic::Ordering::SeqCst);
    assert!(
        (2..=4).contains(&max),
        "{max} requests were in flight at once"
    );
    let ids: Vec<String> = results(dir.path(), "out")
        .iter()
        .map(|r| r["contact_id"].as_str().unwrap().to_string())
        .collect();
    let want: Vec<String> = (1..=8).map(|i| format!("C-{i:03}")).collect();
    assert_eq!(ids, want);
}

#[test]
fn a_server_that_dies_mid_run_leaves_review_and_nothing_is_lost() {
    let s = start(|_, n| if n < 2 { quoted_yes() } else { Answer::Hang });
    let dir = setup(json!({}), 6);
    check(
        dir.path(),
        "out",
        Some(&s.url),
        &["--threads", "1", "--judge-concurrency", "1"],
    );
    let r = results(dir.path(), "out");
    assert_eq!(r.len(), 6);
    let statuses: Vec<&str> = r
        .iter()
        .map(|x| x["criteria"][1]["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        statuses,
        ["pass", "pass", "review", "review", "review", "review"]
    );
    assert!(
        r[5]["criteria"][1]["reason"]
            .as_str()
            .unwrap()
            .contains("нет соединения с сервером"),
        "{}",
        r[5]["criteria"][1]["reason"]
    );
    let j = &run_json(dir.path(), "out")["judge"];
    assert_eq!(
        (j["questions"].as_u64(), j["errors"].as_u64()),
        (Some(6), Some(4))
    );
}

#[test]
fn forms_show_the_models_suggestion_with_its_quote_from_the_cache() {
    let s = start(|_, n| {
        if n == 0 {
            verdict("yes", "Подскажите, что пишет терминал", 3)
        } else {
            Answer::Hang
        }
    });
    let dir = setup(json!({}), 1);
    check(dir.path(), "out", Some(&s.url), &[]);
    let o = Command::cargo_bin("cqa")
        .unwrap()
        .current_dir(dir.path())
        .args([
            "forms",
            "--contacts",
            "in",
            "-s",
            "card.json",
            "--evaluators",
            "Петрова",
            "--out",
            "forms",
        ])
        .args([
            "--judge-url",
            &s.url,
            "--judge-model",
            "test-model",
            "--judge-cache",
            "cache.sqlite",
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(
        s.requests().len(),
        1,
        "the form's suggestion comes from the cache"
    );
    let text = workbook_text(&dir.path().join("forms"));
    assert!(text.contains("Ответ модели: да"), "{text}");
    assert!(text.contains("«Подскажите, что пишет терминал»"), "{text}");
}
