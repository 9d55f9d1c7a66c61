//! Reading and validating a mapping file: every problem is reported with its
//! path in the file (`turns[0].speaker.map.operator: …`), unknown keys
//! included, because a typo in a mapping would otherwise reject a whole batch.

use super::{Base, Mapping, Scope, SpeakerFrom, SpeakerSpec, Src, TimeUnit, TurnSource, FIELDS};
use crate::input::contact::{fields, Speaker};
use serde_json::{Map, Value};

/// Validates a mapping given as JSON; errors carry the path of the problem.
pub(super) fn mapping(v: &Value) -> Result<Mapping, String> {
    let o = v.as_object().ok_or("a mapping must be a JSON object")?;
    let mut m = Mapping {
        name: String::new(),
        records: None,
        sidecar: None,
        fields: Vec::new(),
        metadata: Vec::new(),
        time_unit: TimeUnit::S,
        turns: Vec::new(),
    };
    let mut constants = None;
    for (k, val) in o {
        match k.as_str() {
            "name" => m.name = val.as_str().unwrap_or_default().to_string(),
            "description" | "notes" | "$schema" | "$comment" | "source" | "license" => {}
            "records" => m.records = Some(pointer(val, "records")?),
            "sidecar" => {
                let s = val.as_str().filter(|s| !s.is_empty());
                m.sidecar = Some(s.ok_or("sidecar: expected a relative path such as `../metadata/{stem}.json`")?.into());
            }
            "time_unit" => m.time_unit = time_unit(val, "time_unit")?,
            "metadata" => {
                let mo = val.as_object().ok_or("metadata: expected an object of key -> source")?;
                for (mk, mv) in mo {
                    m.metadata.push((mk.clone(), src(mv, &format!("metadata.{mk}"))?));
                }
            }
            "constants" => constants = Some(val.as_object().ok_or("constants: expected an object")?),
            "turns" => {
                let list: Vec<&Value> = match val {
                    Value::Array(a) => a.iter().collect(),
                    other => vec![other],
                };
                for (i, t) in list.into_iter().enumerate() {
                    m.turns.push(turn_source(t, &format!("turns[{i}]"))?);
                }
            }
            f if FIELDS.contains(&f) => {
                let name = FIELDS.iter().find(|x| **x == f).copied().unwrap_or("id");
                m.fields.push((name, src(val, f)?));
            }
            other => {
                return Err(format!(
                    "{other}: unknown key; expected records, sidecar, {}, metadata, constants, time_unit, turns",
                    FIELDS.join(", ")
                ))
            }
        }
    }
    if m.turns.is_empty() {
        return Err("turns: required (where the turns array is and what each turn holds)".into());
    }
    for (k, v) in constants.into_iter().flatten() {
        let c = Src {
            base: Base::Const(v.clone()),
            regex: None,
            epoch_scale: None,
        };
        // Appended after the explicit sources: a constant is the fallback.
        match FIELDS.iter().find(|f| **f == k) {
            Some(f) => m.fields.push((f, c)),
            None => m.metadata.push((k.clone(), c)),
        }
    }
    Ok(m)
}

fn pointer(v: &Value, at: &str) -> Result<String, String> {
    match v.as_str() {
        Some(p) if p.is_empty() || p.starts_with('/') => Ok(p.to_string()),
        Some(p) => Err(format!("{at}: `{p}` is not a JSON pointer (it must start with `/`, or be \"\" for the whole document)")),
        None => Err(format!("{at}: expected a JSON pointer string")),
    }
}

fn scope(v: &Value, at: &str) -> Result<Scope, String> {
    match v.as_str() {
        Some("record") => Ok(Scope::Record),
        Some("root") => Ok(Scope::Root),
        Some("sidecar") => Ok(Scope::Sidecar),
        Some("turn") => Ok(Scope::Turn),
        _ => Err(format!("{at}: expected record, root, sidecar or turn")),
    }
}

fn time_unit(v: &Value, at: &str) -> Result<TimeUnit, String> {
    match v.as_str() {
        Some("s") => Ok(TimeUnit::S),
        Some("ms") => Ok(TimeUnit::Ms),
        Some("iso8601") => Ok(TimeUnit::Iso),
        Some("epoch_ms") => Ok(TimeUnit::EpochMs),
        Some("epoch_s") => Ok(TimeUnit::EpochS),
        _ => Err(format!(
            "{at}: expected s, ms, iso8601, epoch_ms or epoch_s"
        )),
    }
}

fn src(v: &Value, at: &str) -> Result<Src, String> {
    let plain = |base| {
        Ok(Src {
            base,
            regex: None,
            epoch_scale: None,
        })
    };
    match v {
        Value::String(_) => plain(Base::Pointer(pointer(v, at)?, None)),
        Value::Array(list) => {
            let items = list
                .iter()
                .enumerate()
                .map(|(i, x)| src(x, &format!("{at}[{i}]")))
                .collect::<Result<_, _>>()?;
            plain(Base::First(items))
        }
        Value::Object(o) => src_object(o, at),
        _ => Err(format!(
            "{at}: expected a JSON pointer, a list of sources or an object"
        )),
    }
}

fn src_object(o: &Map<String, Value>, at: &str) -> Result<Src, String> {
    let mut base = None;
    let mut sc = None;
    let mut out = Src {
        base: Base::Const(Value::Null),
        regex: None,
        epoch_scale: None,
    };
    let mut sep = String::new();
    for (k, v) in o {
        let here = format!("{at}.{k}");
        match k.as_str() {
            "pointer" => base = Some(Base::Pointer(pointer(v, &here)?, None)),
            "const" => base = Some(Base::Const(v.clone())),
            "file" => {
                base = Some(match v.as_str() {
                    Some("stem") => Base::FileStem,
                    Some("name") => Base::FileName,
                    _ => return Err(format!("{here}: expected \"stem\" or \"name\"")),
                })
            }
            "join" | "first" => {
                let list = v.as_array().ok_or_else(|| format!("{here}: expected a list of sources"))?;
                let items = list.iter().enumerate().map(|(i, x)| src(x, &format!("{here}[{i}]"))).collect::<Result<Vec<_>, _>>()?;
                base = Some(if k == "join" { Base::Join(items, String::new()) } else { Base::First(items) });
            }
            "sep" => sep = v.as_str().ok_or_else(|| format!("{here}: expected text"))?.to_string(),
            "in" => sc = Some(scope(v, &here)?),
            "regex" => {
                let pat = v.as_str().ok_or_else(|| format!("{here}: expected a regular expression"))?;
                let re = regex::RegexBuilder::new(pat).size_limit(1 << 20).build().map_err(|e| format!("{here}: {e}"))?;
                out.regex = Some(re);
            }
            "epoch" => {
                out.epoch_scale = Some(match v.as_str() {
                    Some("ms") => 0.001,
                    Some("s") => 1.0,
                    _ => return Err(format!("{here}: expected \"ms\" or \"s\"")),
                })
            }
            "map" | "key_of" => {} // speaker-only keys, read by `speaker_spec`
            other => return Err(format!("{at}: unknown key `{other}`; expected pointer, in, regex, epoch, const, file, join, sep or first")),
        }
    }
    out.base = match base {
        Some(Base::Pointer(p, _)) => Base::Pointer(p, sc),
        Some(Base::Join(items, _)) => Base::Join(items, sep),
        Some(b) => b,
        None => {
            return Err(format!(
                "{at}: needs one of pointer, const, file, join or first"
            ))
        }
    };
    Ok(out)
}

fn speaker_spec(v: &Value, at: &str) -> Result<SpeakerSpec, String> {
    let mut map = Vec::new();
    let from = match v {
        Value::Object(o) => {
            if let Some(m) = o.get("map") {
                let mo = m
                    .as_object()
                    .ok_or_else(|| format!("{at}.map: expected an object of value -> speaker"))?;
                for (raw, sp) in mo {
                    let target = sp.as_str().unwrap_or_default();
                    let out = match target {
                        "skip" => None,
                        t => Some(Speaker::parse(t).ok_or_else(|| {
                            format!("{at}.map.{raw}: `{t}` is not a speaker; expected agent, customer, bot, system or skip")
                        })?),
                    };
                    map.push((fields::norm_key(raw), out));
                }
            }
            match o.get("key_of") {
                Some(Value::Array(keys)) => SpeakerFrom::KeyOf(
                    keys.iter()
                        .map(|k| {
                            k.as_str()
                                .map(str::to_string)
                                .ok_or_else(|| format!("{at}.key_of: expected key names"))
                        })
                        .collect::<Result<_, _>>()?,
                ),
                Some(_) => return Err(format!("{at}.key_of: expected a list of key names")),
                None => SpeakerFrom::Src(src(v, at)?),
            }
        }
        other => SpeakerFrom::Src(src(other, at)?),
    };
    Ok(SpeakerSpec { from, map })
}

fn turn_source(v: &Value, at: &str) -> Result<TurnSource, String> {
    let o = v.as_object().ok_or_else(|| {
        format!("{at}: expected an object with `array` (or `object`), `speaker` and `text`")
    })?;
    let mut ts = TurnSource {
        pointer: String::new(),
        scope: Scope::Record,
        is_array: true,
        speaker: SpeakerSpec {
            from: SpeakerFrom::KeyOf(Vec::new()),
            map: Vec::new(),
        },
        text: None,
        start: None,
        end: None,
        duration: None,
        time_unit: None,
    };
    let (mut has_at, mut has_speaker) = (false, false);
    for (k, val) in o {
        let here = format!("{at}.{k}");
        match k.as_str() {
            "array" | "object" => {
                ts.pointer = pointer(val, &here)?;
                ts.is_array = k == "array";
                has_at = true;
            }
            "in" => ts.scope = scope(val, &here)?,
            "speaker" => {
                ts.speaker = speaker_spec(val, &here)?;
                has_speaker = true;
            }
            "text" => ts.text = Some(src(val, &here)?),
            "start" => ts.start = Some(src(val, &here)?),
            "end" => ts.end = Some(src(val, &here)?),
            "duration" => ts.duration = Some(src(val, &here)?),
            "time_unit" => ts.time_unit = Some(time_unit(val, &here)?),
            other => return Err(format!("{at}: unknown key `{other}`; expected array, object, in, speaker, text, start, end, duration, time_unit")),
        }
    }
    if !has_at {
        return Err(format!(
            "{at}: needs `array` (a pointer to the list of turns) or `object` (a single turn)"
        ));
    }
    if !has_speaker {
        return Err(format!("{at}.speaker: required"));
    }
    Ok(ts)
}
