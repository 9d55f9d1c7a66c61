//! The mapping proof on real public data: the IBM Twitter customer-care
//! threads and the Harper Valley bank calls, read through the mapping files in
//! `mappings/` with no dataset-specific code. Skipped (with a note) when
//! `../shared/data` is not there.

use crate::workdir::{repo, shared_data};
use cqa::input::contact::{load_file, Contact, InputKind, LoadOptions, Mapping, Speaker};
use std::path::{Path, PathBuf};
use std::sync::Arc;

fn opts(mapping: &str) -> LoadOptions {
    let path = repo("mappings").join(mapping);
    let m = Mapping::load(&path).unwrap_or_else(|e| panic!("{mapping}: {e}"));
    LoadOptions {
        mapping: Some(Arc::new(m)),
        ..LoadOptions::default()
    }
}

fn contacts(path: &Path, o: &LoadOptions) -> Vec<Contact> {
    load_file(path, InputKind::Json, o)
        .into_iter()
        .map(|l| {
            l.contact
                .unwrap_or_else(|e| panic!("{}:{:?}: {e}", path.display(), l.line))
        })
        .collect()
}

#[test]
fn ibm_twitter_threads_load_through_the_mapping() {
    let Some(dir) = shared_data("ibm_twitter_customer_care") else {
        return;
    };
    let o = opts("ibm_twitter.json");
    let dev = contacts(&dir.join("dev.json"), &o);
    let test = contacts(&dir.join("test.json"), &o);
    assert_eq!((dev.len(), test.len()), (525, 500));
    let turns = |cs: &[Contact]| cs.iter().map(|c| c.turns.len()).sum::<usize>();
    // dialogContent turns + one final agent answer per conversation (README: dev 686 + 525).
    assert_eq!((turns(&dev), turns(&test)), (686 + 525, 639 + 500));

    let first = &dev[0];
    assert_eq!(first.id, "LgwAXtbbEm0mBvDrGmjk");
    assert_eq!(first.channel.as_deref(), Some("chat"));
    assert_eq!(first.team.as_deref(), Some("TeamYouTube"));
    assert_eq!(
        first.agent_id, "TeamYouTube",
        "an unsigned answer falls back to the company"
    );
    assert_eq!(first.started_at.as_deref(), Some("2020-04-01T17:31:32Z"));
    assert_eq!(first.duration_s, Some(5215.0));
    assert_eq!(first.metadata["doc_id"], "1770");
    let who: Vec<Speaker> = first.turns.iter().map(|t| t.speaker).collect();
    assert_eq!(who, [Speaker::Customer, Speaker::Agent]);
    assert_eq!(first.turns[0].start, Some(0.0));
    assert_eq!(
        first.turns[1].start, None,
        "the final answer has no timestamp in the dataset"
    );

    // A thread with an earlier agent reply: relative times in seconds, signature as agent id.
    let rockstar = dev
        .iter()
        .find(|c| c.turns.len() == 4 && c.team.as_deref() == Some("RockstarSupport"))
        .unwrap();
    assert_eq!(rockstar.turns[1].speaker, Speaker::Agent);
    assert!(rockstar.turns[1].start.unwrap() > 0.0);
    assert!(
        rockstar.agent_id.starts_with("RockstarSupport/"),
        "{}",
        rockstar.agent_id
    );

    let all: Vec<&Contact> = dev.iter().chain(&test).collect();
    // The dataset writes 38 negative durations (`-12:14:20.`): those contacts
    // load without a duration and say why, instead of being lost.
    let warned: Vec<&&Contact> = all.iter().filter(|c| !c.load_warnings.is_empty()).collect();
    assert_eq!(warned.len(), 22 + 16);
    assert!(warned.iter().all(|c| c.duration_s.is_none()));
    assert!(warned[0].load_warnings[0].starts_with("duration_s: `-12:14:20.` is not a duration"));
    let signed = all.iter().filter(|c| c.agent_id.contains('/')).count();
    assert_eq!(signed, 524, "final answers signed with initials");
    let mut agents: Vec<&str> = all.iter().map(|c| c.agent_id.as_str()).collect();
    agents.sort_unstable();
    agents.dedup();
    eprintln!(
        "IBM: {} contacts, {} turns, {} signed answers, {} distinct agent ids",
        all.len(),
        turns(&dev) + turns(&test),
        signed,
        agents.len()
    );
    // Chat times never run backwards within a thread.
    for c in &all {
        let times: Vec<f64> = c.turns.iter().filter_map(|t| t.start).collect();
        assert!(times.windows(2).all(|w| w[0] <= w[1]), "{}", c.id);
    }
}

#[test]
fn harper_valley_calls_load_with_their_sidecar_metadata() {
    let Some(dir) = shared_data("harper_valley_sample/transcript") else {
        return;
    };
    let o = opts("harper_valley.json");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let calls: Vec<Contact> = files.iter().flat_map(|f| contacts(f, &o)).collect();
    assert_eq!(calls.len(), 3);
    let ids: Vec<&str> = calls.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        ids,
        ["0002f70f7386445b", "0091a706bc604188", "00d676d7058c49bb"]
    );
    let segs: Vec<usize> = calls.iter().map(|c| c.turns.len()).collect();
    assert_eq!(segs, [18, 17, 16]);
    let agents: Vec<(&str, &str)> = calls
        .iter()
        .map(|c| (c.agent_id.as_str(), c.agent_name.as_deref().unwrap_or("")))
        .collect();
    assert_eq!(
        agents,
        [("46", "Elizabeth"), ("3", "Jennifer"), ("17", "Jennifer")]
    );

    let c = &calls[0];
    assert_eq!(c.channel.as_deref(), Some("voice"));
    assert_eq!(c.started_at.as_deref(), Some("2020-06-02T00:13:03.191Z"));
    assert_eq!(c.metadata["task_type"], "replace card");
    assert_eq!(c.metadata["script_adherence"], 5.0);
    let t0 = &c.turns[0];
    assert_eq!(
        (t0.speaker, t0.start, t0.end),
        (Speaker::Agent, Some(1.669), Some(1.669 + 2.67))
    );
    assert_eq!(t0.text, "hello mr harper valley national bank");
    assert_eq!(c.turns[3].speaker, Speaker::Customer);
    for c in &calls {
        assert!(
            c.turns
                .iter()
                .all(|t| t.start.is_some() && t.end >= t.start),
            "{}",
            c.id
        );
    }
}

#[test]
fn harper_valley_metadata_files_are_not_mistaken_for_transcripts() {
    let Some(dir) = shared_data("harper_valley_sample/metadata") else {
        return;
    };
    let o = opts("harper_valley.json");
    let items = load_file(&dir.join("004860b1ab2e4c88.json"), InputKind::Json, &o);
    let e = items[0].contact.as_ref().unwrap_err();
    assert!(
        e.contains("not a cqa contact") && e.contains("Harper Valley"),
        "{e}"
    );
}
