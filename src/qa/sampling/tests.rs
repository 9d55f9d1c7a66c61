use super::*;

fn contact(id: &str, agent: &str, channel: &str, started_at: &str) -> PoolContact {
    PoolContact {
        contact_id: id.into(),
        agent_id: agent.into(),
        agent_name: None,
        channel: Some(channel.into()),
        started_at: Some(started_at.into()),
        duration_s: Some(240.0),
        category: Some("consultation".into()),
        csat: Some(5.0),
        source: None,
        line: None,
    }
}

/// A week of Иванова's work: 12 calls and 4 chats, Monday 2 November 2026 onwards.
fn ivanova_week() -> Vec<PoolContact> {
    let mut v: Vec<PoolContact> = (0..12)
        .map(|i| {
            contact(
                &format!("V-{i:03}"),
                "A001",
                "voice",
                &format!("2026-11-0{}T10:{i:02}:00+03:00", 2 + i % 5),
            )
        })
        .collect();
    v.extend((0..4).map(|i| {
        contact(
            &format!("CH-{i:03}"),
            "A001",
            "chat",
            "2026-11-03T12:00:00+03:00",
        )
    }));
    v
}

fn cfg(seed: u64) -> SampleConfig {
    SampleConfig {
        seed,
        per: 5,
        per_channel: BTreeMap::from([("chat".to_string(), 3)]),
        period: Period::Week,
        rules: Rules::default(),
    }
}

fn ids(s: &Sample) -> Vec<String> {
    s.selected
        .iter()
        .map(|x| x.contact.contact_id.clone())
        .collect()
}

#[test]
fn five_calls_and_three_chats_per_agent_and_week() {
    let s = draw(&ivanova_week(), &HashSet::new(), &cfg(7));
    let voice = s
        .selected
        .iter()
        .filter(|x| x.contact.channel.as_deref() == Some("voice"))
        .count();
    let chat = s
        .selected
        .iter()
        .filter(|x| x.contact.channel.as_deref() == Some("chat"))
        .count();
    assert_eq!((voice, chat), (5, 3));
    assert_eq!(s.strata, 2);
    assert!(s.selected.iter().all(|x| x.period == "2026-W45"));
}

#[test]
fn the_same_seed_gives_the_same_sample_whatever_the_pool_order() {
    let pool = ivanova_week();
    let mut reversed = pool.clone();
    reversed.reverse();
    let mut shuffled = pool.clone();
    shuffled.rotate_left(7);
    let a = draw(&pool, &HashSet::new(), &cfg(2026));
    assert_eq!(a, draw(&reversed, &HashSet::new(), &cfg(2026)));
    assert_eq!(a, draw(&shuffled, &HashSet::new(), &cfg(2026)));
}

#[test]
fn another_seed_draws_other_contacts() {
    let pool = ivanova_week();
    let samples: HashSet<Vec<String>> = (1..=5)
        .map(|seed| ids(&draw(&pool, &HashSet::new(), &cfg(seed))))
        .collect();
    assert!(samples.len() > 1);
}

#[test]
fn contacts_added_to_another_agent_do_not_change_this_agents_draw() {
    let pool = ivanova_week();
    let mut bigger = pool.clone();
    bigger.extend((0..30).map(|i| {
        contact(
            &format!("P-{i:03}"),
            "A002",
            "voice",
            "2026-11-04T09:00:00+03:00",
        )
    }));
    let mine = |s: Sample| -> Vec<String> {
        s.selected
            .into_iter()
            .filter(|x| x.contact.agent_id == "A001")
            .map(|x| x.contact.contact_id)
            .collect()
    };
    assert_eq!(
        mine(draw(&pool, &HashSet::new(), &cfg(11))),
        mine(draw(&bigger, &HashSet::new(), &cfg(11)))
    );
}

#[test]
fn a_stratum_smaller_than_its_quota_is_taken_whole_and_counted() {
    let pool: Vec<PoolContact> = (0..2)
        .map(|i| {
            contact(
                &format!("C-{i}"),
                "A003",
                "chat",
                "2026-11-02T09:00:00+03:00",
            )
        })
        .collect();
    let s = draw(&pool, &HashSet::new(), &cfg(1));
    assert_eq!(s.selected.len(), 2);
    assert_eq!(s.short_strata, 1);
    assert_eq!(s.selected[0].reason(Lang::Ru), "все 2 (квота 3)");
}

#[test]
fn periods_are_day_iso_week_or_month_of_the_local_date() {
    // 00:30 Moscow time on Monday is Monday, although it is Sunday in UTC.
    let t = "2026-11-02T00:30:00+03:00";
    assert_eq!(Period::Day.key(t).as_deref(), Some("2026-11-02"));
    assert_eq!(Period::Week.key(t).as_deref(), Some("2026-W45"));
    assert_eq!(Period::Month.key(t).as_deref(), Some("2026-11"));
    assert_eq!(
        Period::Day.key("02.11.2026 10:15").as_deref(),
        Some("2026-11-02")
    );
    assert_eq!(Period::Week.key("2027-01-01").as_deref(), Some("2026-W53"));
    assert_eq!(Period::Day.key("вчера"), None);
}

#[test]
fn each_week_is_a_stratum_of_its_own() {
    let mut pool = ivanova_week();
    pool.extend((0..8).map(|i| {
        contact(
            &format!("N-{i:03}"),
            "A001",
            "voice",
            "2026-11-10T10:00:00+03:00",
        )
    }));
    let s = draw(&pool, &HashSet::new(), &cfg(3));
    let w46 = s.selected.iter().filter(|x| x.period == "2026-W46").count();
    assert_eq!(w46, 5);
    assert_eq!(s.strata, 3);
}

#[test]
fn already_evaluated_contacts_are_never_drawn() {
    let pool = ivanova_week();
    let exclude: HashSet<String> = (0..10).map(|i| format!("V-{i:03}")).collect();
    let s = draw(&pool, &exclude, &cfg(5));
    assert_eq!(s.excluded, 10);
    let voice: Vec<String> = ids(&s).into_iter().filter(|i| i.starts_with('V')).collect();
    assert_eq!(voice, vec!["V-010", "V-011"]);
}

#[test]
fn complaints_long_calls_and_low_csat_are_flagged() {
    let mut c = contact("C-1", "A001", "voice", "2026-11-02T10:00:00+03:00");
    c.category = Some("Complaint".into());
    c.duration_s = Some(742.0);
    c.csat = Some(2.0);
    let flags = Rules::default().flags(&c);
    let described: Vec<String> = flags.iter().map(|f| f.describe(Lang::Ru)).collect();
    assert_eq!(
        described,
        [
            "жалоба (category = Complaint)",
            "длительность 742 с > 600 с",
            "CSAT 2 ≤ 2"
        ]
    );
}

#[test]
fn include_takes_every_complaint_on_top_of_the_quota() {
    let mut pool = ivanova_week();
    for c in pool.iter_mut().take(7) {
        c.category = Some("complaint".into());
    }
    let mut config = cfg(9);
    config.rules.action = FlaggedAction::Include;
    let s = draw(&pool, &HashSet::new(), &config);
    let voice: Vec<&Selected> = s
        .selected
        .iter()
        .filter(|x| x.contact.channel.as_deref() == Some("voice"))
        .collect();
    assert_eq!(voice.iter().filter(|x| x.how == How::Included).count(), 7);
    assert_eq!(voice.iter().filter(|x| x.how == How::Random).count(), 5);
    assert!(voice
        .iter()
        .filter(|x| x.how == How::Random)
        .all(|x| x.flags.is_empty()));
}

#[test]
fn over_weighted_complaints_are_drawn_about_weight_times_as_often() {
    // One complaint among 20 calls, 1 drawn: chance 3/22 with weight 3, 1/20 without.
    let mut pool: Vec<PoolContact> = (0..20)
        .map(|i| {
            contact(
                &format!("V-{i:03}"),
                "A001",
                "voice",
                "2026-11-02T10:00:00+03:00",
            )
        })
        .collect();
    pool[0].category = Some("complaint".into());
    let mut config = cfg(0);
    config.per = 1;
    let mut hits = |action| {
        config.rules.action = action;
        (0..2000u64)
            .filter(|&seed| {
                config.seed = seed;
                draw(&pool, &HashSet::new(), &config).selected[0]
                    .contact
                    .contact_id
                    == "V-000"
            })
            .count()
    };
    let weighted = hits(FlaggedAction::Weight(3));
    let plain = hits(FlaggedAction::Ignore);
    assert!(
        (220..=330).contains(&weighted),
        "weighted {weighted} of 2000, expected ~273"
    );
    assert!(
        (60..=140).contains(&plain),
        "plain {plain} of 2000, expected ~100"
    );
}

#[test]
fn flagged_action_reads_include_off_or_a_weight() {
    assert_eq!("include".parse(), Ok(FlaggedAction::Include));
    assert_eq!("off".parse(), Ok(FlaggedAction::Ignore));
    assert_eq!("4".parse(), Ok(FlaggedAction::Weight(4)));
    assert!("0".parse::<FlaggedAction>().is_err());
    assert!("lots".parse::<FlaggedAction>().is_err());
}
