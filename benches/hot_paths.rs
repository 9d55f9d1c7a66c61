//! Micro-benchmarks of the hot paths: normalise a turn, normalise and match
//! it (the match index), parse a contact,
//! evaluate the bundled bank scorecard over a contact (exact vs stem vs fuzzy
//! matching), encode a results line, and mask a quote. Run: `cargo bench --bench hot_paths`.

use cqa::check::{CompiledScorecard, EvalOptions};
use cqa::generate::{contact, GenConfig};
use cqa::input::contact::parse_contact;
use cqa::input::scorecard::{load_scorecard, MatchMode, Rule};
use cqa::output::results::Detail;
use criterion::{black_box, criterion_group, criterion_main, Criterion};

fn bank(mode: Option<MatchMode>, fuzzy: Option<u8>) -> CompiledScorecard {
    let mut card = load_scorecard(std::path::Path::new("scorecards/bank-voice-ru.json"))
        .expect("bundled scorecard");
    card.match_mode = mode;
    fn set(rule: &mut Rule, fuzzy: Option<u8>) {
        match rule {
            Rule::Phrase(p) => p.fuzzy = fuzzy,
            Rule::Order { first, then } | Rule::If { when: first, then } => {
                set(first, fuzzy);
                set(then, fuzzy);
            }
            Rule::All { rules } | Rule::Any { rules } => {
                rules.iter_mut().for_each(|r| set(r, fuzzy))
            }
            Rule::Not { rule } => set(rule, fuzzy),
            _ => {}
        }
    }
    if fuzzy.is_some() {
        for s in &mut card.sections {
            for c in &mut s.criteria {
                set(&mut c.rule, fuzzy);
            }
        }
    }
    CompiledScorecard::compile(card).expect("compiles")
}

fn voice_contacts(n: usize) -> Vec<String> {
    let cfg = GenConfig {
        contacts: n * 4,
        agents: 20,
        seed: 3,
    };
    (0..n * 4)
        .map(|i| contact(&cfg, i).0)
        .filter(|c| c.channel.as_deref() == Some("voice"))
        .take(n)
        .map(|c| serde_json::to_string(&c).expect("serialises"))
        .collect()
}

fn benches(c: &mut Criterion) {
    let texts = voice_contacts(50);
    let parsed: Vec<_> = texts
        .iter()
        .map(|t| parse_contact(t).expect("valid"))
        .collect();
    let turn = "Банк «Пример», Мария, здравствуйте! Разговор записывается. Для проверки личности назовите, пожалуйста, кодовое слово.";
    c.bench_function("normalize_turn", |b| {
        b.iter(|| cqa::text::normalize(black_box(turn)))
    });
    // Normalise and match one turn: a one-turn contact through the match index.
    let one_turn = cqa::input::contact::Contact {
        id: "bench".into(),
        agent_id: "A001".into(),
        turns: vec![cqa::input::contact::Turn {
            speaker: cqa::input::contact::Speaker::Agent,
            text: turn.into(),
            event: None,
            start: Some(0.0),
            end: Some(6.0),
        }],
        ..Default::default()
    };
    let stemmed_card = bank(None, None);
    c.bench_function("normalize_and_match_turn", |b| {
        b.iter(|| stemmed_card.count_phrase_hits(black_box(&one_turn)))
    });
    c.bench_function("parse_contact", |b| {
        b.iter(|| parse_contact(black_box(&texts[0])).expect("valid"))
    });
    let opts = EvalOptions::default();
    for (name, card) in [
        ("evaluate_exact", bank(Some(MatchMode::Exact), None)),
        ("evaluate_stem", bank(None, None)),
        ("evaluate_stem_fuzzy1", bank(None, Some(1))),
    ] {
        c.bench_function(name, |b| {
            b.iter(|| {
                for ct in &parsed {
                    black_box(cqa::run::evaluate(&card, ct, "bench", None, &opts));
                }
            })
        });
    }
    // One results.jsonl line: the hand encoder against serde_json (same bytes).
    let result = cqa::run::evaluate(&bank(None, None), &parsed[0], "bench", None, &opts);
    c.bench_function("encode_result_line", |b| {
        b.iter(|| cqa::output::results::line(black_box(&result), Detail::Full))
    });
    c.bench_function("encode_result_line_serde_json", |b| {
        b.iter(|| serde_json::to_vec(black_box(&result)).expect("serialises"))
    });
    c.bench_function("mask_quote", |b| {
        b.iter(|| {
            cqa::text::mask(
                black_box("Записал: карта 4111 1111 1111 1111, телефон +7 916 123-45-67."),
                cqa::words::Lang::Ru,
            )
        })
    });
}

criterion_group!(name = hot; config = Criterion::default().sample_size(20); targets = benches);
criterion_main!(hot);
