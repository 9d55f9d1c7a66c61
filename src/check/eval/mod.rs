//! Deciding a compiled rule for one contact from its match index.

mod bounded;
mod judge;
mod measure;

use super::describe as d;
use super::index::MatchIndex;
use super::plan::{Matchers, Node, TextNode};
use crate::input::contact::{Contact, Speaker};
use crate::input::scorecard::{Must, SpeakerSel, Window};
use crate::results::Status;
use crate::text::pii::PiiKind;
use crate::words::Lang;

/// Where a verdict rests: a turn and, when known, the matched span.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Span {
    Turn,
    /// Byte range in the turn's original text.
    Orig(usize, usize),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Hit {
    pub turn: usize,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub(crate) struct Verdict {
    pub status: Status,
    pub reason: String,
    pub evidence: Vec<Hit>,
}

impl Verdict {
    fn new(status: Status, reason: String, evidence: Vec<Hit>) -> Self {
        Verdict {
            status,
            reason,
            evidence,
        }
    }
    fn na(reason: String) -> Self {
        Verdict::new(Status::Na, reason, Vec::new())
    }
}

/// (turn, byte offset in the original text), the hit, and which wording matched.
type Earliest = ((usize, usize), Hit, usize);

pub(crate) struct Ctx<'a> {
    pub contact: &'a Contact,
    pub index: &'a MatchIndex,
    pub m: &'a Matchers,
    pub lang: Lang,
    windows: WindowCache,
    judge: Option<&'a crate::check::judge::Judge>,
    mask: bool,
    judge_texts: judge::JudgeTexts,
}

#[derive(Clone)]
enum Win {
    Turns(std::rc::Rc<[usize]>),
    Na(String),
}

/// The windows already computed for one contact: most rules look at the
/// same few (the agent's turns, the first two agent turns…).
type WindowCache = std::cell::RefCell<Vec<(SpeakerSel, Option<Window>, Win)>>;

fn speaker_ok(sel: SpeakerSel, s: Speaker) -> bool {
    match sel {
        SpeakerSel::Any => s != Speaker::System,
        SpeakerSel::Agent => s == Speaker::Agent,
        SpeakerSel::Customer => s == Speaker::Customer,
        SpeakerSel::Bot => s == Speaker::Bot,
    }
}

/// Loose equality for metadata tests: `3` equals `"3"`, strings compare without case.
impl<'a> Ctx<'a> {
    pub fn new(contact: &'a Contact, index: &'a MatchIndex, m: &'a Matchers, lang: Lang) -> Self {
        Ctx {
            contact,
            index,
            m,
            lang,
            windows: WindowCache::default(),
            judge: None,
            mask: true,
            judge_texts: judge::JudgeTexts::default(),
        }
    }

    /// Who answers `judge` criteria, and whether text leaves cqa masked.
    pub fn with_judge(mut self, judge: Option<&'a crate::check::judge::Judge>, mask: bool) -> Self {
        self.judge = judge;
        self.mask = mask;
        self
    }

    pub fn eval(&self, n: &Node) -> Verdict {
        match n {
            Node::Text(t) => self.bounded_text(t, self.text(t)),
            Node::Order { first, then } => self.bounded_order(first, then, self.order(first, then)),
            Node::If { when, then } => {
                let w = self.eval(when);
                if w.status == Status::Review {
                    return Verdict::new(
                        Status::Review,
                        d::cat(&[
                            self.lang
                                .pick("Условие не решено: ", "Condition undecided: "),
                            &w.reason,
                        ]),
                        w.evidence,
                    );
                }
                if w.status == Status::Pass {
                    let mut v = self.eval(then);
                    v.reason = d::cat(&[
                        self.lang.pick("Условие выполнено: ", "Condition holds: "),
                        w.reason.trim_end_matches('.'),
                        "; ",
                        &v.reason,
                    ]);
                    v
                } else {
                    Verdict::na(d::cat(&[
                        self.lang.pick(
                            "Не применяется — условие не выполнено: ",
                            "Not applicable — condition does not hold: ",
                        ),
                        &w.reason,
                    ]))
                }
            }
            Node::Timing(t) => self.timing(t),
            Node::Pii {
                speaker,
                window,
                kinds,
            } => self.pii(*speaker, *window, kinds),
            Node::Metadata(m) => self.metadata(m),
            Node::All(parts) => self.all(parts),
            Node::Any(parts) => self.any(parts),
            Node::Not(inner) => {
                let v = self.eval(inner);
                let status = match v.status {
                    Status::Pass => Status::Fail,
                    Status::Fail => Status::Pass,
                    s => s,
                };
                let prefix = self.lang.pick("Обратное условию: ", "Negated: ");
                Verdict::new(status, d::cat(&[prefix, &v.reason]), v.evidence)
            }
            Node::Judge(j) => self.judge(j),
            Node::Manual => Verdict::na(String::new()).with_status(
                Status::Pending,
                self.lang
                    .pick(
                        "Оценивается контролёром вручную.",
                        "Scored manually by a controller.",
                    )
                    .into(),
            ),
        }
    }

    fn window(&self, speaker: SpeakerSel, w: Option<Window>) -> Win {
        if let Some((_, _, win)) = self
            .windows
            .borrow()
            .iter()
            .find(|(s, x, _)| *s == speaker && *x == w)
        {
            return win.clone();
        }
        let win = self.compute_window(speaker, w);
        self.windows.borrow_mut().push((speaker, w, win.clone()));
        win
    }

    fn compute_window(&self, speaker: SpeakerSel, w: Option<Window>) -> Win {
        let c = self.contact;
        let mut turns: Vec<usize> = c
            .turns
            .iter()
            .enumerate()
            .filter(|(_, t)| speaker_ok(speaker, t.speaker))
            .map(|(i, _)| i)
            .collect();
        let untimed = || turns.iter().any(|&i| c.turns[i].start.is_none());
        match w {
            None => {}
            Some(Window::FirstTurns(n)) => turns.truncate(n),
            Some(Window::LastTurns(n)) => {
                let skip = turns.len().saturating_sub(n);
                turns.drain(..skip);
            }
            Some(Window::FirstSeconds(s)) => {
                if untimed() {
                    return Win::Na(self.lang.pick("В контакте нет временных меток реплик — окно по секундам не применимо.", "The contact's turns have no times, so a seconds window does not apply.").into());
                }
                turns.retain(|&i| c.turns[i].start.is_some_and(|x| x < s));
            }
            Some(Window::LastSeconds(s)) => {
                let end = c.end_time();
                if untimed() || end.is_none() {
                    return Win::Na(self.lang.pick("В контакте нет временных меток реплик — окно по секундам не применимо.", "The contact's turns have no times, so a seconds window does not apply.").into());
                }
                let from = end.unwrap_or(0.0) - s;
                turns.retain(|&i| {
                    c.turns[i]
                        .end
                        .or(c.turns[i].start)
                        .is_some_and(|x| x >= from)
                });
            }
        }
        if turns.is_empty() {
            return Win::Na(format!(
                "{} {}.",
                self.lang
                    .pick("Нет реплик для проверки:", "No turns to check:"),
                d::window(speaker, w, self.lang)
            ));
        }
        Win::Turns(turns.into())
    }

    /// The turns of `turns` that may hold one of the node's phrases: those
    /// holding none are skipped by one bitset test (regexes are decided per
    /// turn when asked).
    fn may_hit_in<'t>(
        &'t self,
        t: &'t TextNode,
        turns: &'t [usize],
    ) -> impl Iterator<Item = &'t usize> {
        turns
            .iter()
            .filter(move |&&turn| t.is_regex || self.index.any_of(turn, &t.mask))
    }

    /// The first hit of pattern `k` of node `t` in `turn` (not cancelled by a negation).
    fn hit(&self, t: &TextNode, turn: usize, k: usize) -> Option<Hit> {
        let id = t.ids[k];
        if t.is_regex {
            let (a, b) = self.index.regex_at(self.contact, self.m, turn, id)?;
            let span = Span::Orig(a, b);
            return Some(Hit { turn, span });
        }
        let (first, end) = self
            .index
            .phrase_hits(turn, id)
            .find(|&(first, _)| !self.negated(t, turn, first as usize))?;
        let (a, b) = self.index.original_range(turn, first, end);
        Some(Hit {
            turn,
            span: Span::Orig(a, b),
        })
    }

    /// Whether a negation word of the rule stands within its window before word `first`.
    fn negated(&self, t: &TextNode, turn: usize, first: usize) -> bool {
        if t.negation.is_empty() {
            return false;
        }
        // A negation may be several words once normalised ("don't" -> "don t"):
        // it counts when it ends within the window before the match.
        (first.saturating_sub(t.negation_window)..first).any(|end| {
            t.negation.iter().any(|words| {
                end + 1 >= words.len()
                    && words
                        .iter()
                        .rev()
                        .enumerate()
                        .all(|(k, w)| self.index.word(turn, end - k) == *w)
            })
        })
    }

    fn at(&self, h: &Hit) -> String {
        d::at_turn(h.turn, self.contact.turns[h.turn].start, self.lang)
    }

    fn text(&self, t: &TextNode) -> Verdict {
        let turns = match self.window(t.speaker, t.window) {
            Win::Turns(v) => v,
            Win::Na(r) => return Verdict::na(r),
        };
        let lang = self.lang;
        let wording = t.wording(lang);
        // "Найдена фраза «…» в первых 2 репликах оператора (реплика 1 (0:00))" and the like:
        // the constant parts are worded at compile time.
        let found = |k: usize, h: &Hit, tail: &str| {
            let mut s = String::with_capacity(
                wording.found.len() + wording.quoted[k].len() + wording.where_.len() + 48,
            );
            s.push_str(wording.found);
            s.push_str(&wording.quoted[k]);
            s.push_str(wording.after_quote);
            s.push_str(&wording.where_);
            s.push_str(" (");
            d::push_at_turn(&mut s, h.turn, self.contact.turns[h.turn].start, lang);
            s.push(')');
            s.push_str(tail);
            s.push('.');
            s
        };
        match (t.must, t.all) {
            (Must::Present, false) => {
                for &turn in self.may_hit_in(t, &turns) {
                    if let Some((k, h)) =
                        (0..t.ids.len()).find_map(|k| self.hit(t, turn, k).map(|h| (k, h)))
                    {
                        return Verdict::new(Status::Pass, found(k, &h, ""), vec![h]);
                    }
                }
                Verdict::new(Status::Fail, wording.settled.clone(), Vec::new())
            }
            (Must::Present, true) => {
                let mut found = Vec::new();
                let mut missing = Vec::new();
                for k in 0..t.ids.len() {
                    match turns.iter().find_map(|&turn| self.hit(t, turn, k)) {
                        Some(h) => found.push(h),
                        None => missing.push(t.display[k].clone()),
                    }
                }
                if missing.is_empty() {
                    Verdict::new(Status::Pass, wording.settled.clone(), found)
                } else {
                    let where_ = &wording.where_;
                    let reason = match lang {
                        Lang::Ru => format!(
                            "Не найдены {where_}: {} (требуются все из {}).",
                            d::list(&missing, lang),
                            t.display.len()
                        ),
                        Lang::En => format!(
                            "Missing {where_}: {} (all {} are required).",
                            d::list(&missing, lang),
                            t.display.len()
                        ),
                    };
                    Verdict::new(Status::Fail, reason, found)
                }
            }
            (Must::Absent, _) => {
                let mut hits: Vec<(usize, Hit)> = Vec::new();
                for &turn in self.may_hit_in(t, &turns) {
                    for k in 0..t.ids.len() {
                        if let Some(h) = self.hit(t, turn, k) {
                            hits.push((k, h));
                        }
                    }
                }
                if let Some((k, h)) = hits.first() {
                    let tail = match (lang, hits.len() - 1) {
                        (_, 0) => String::new(),
                        (Lang::Ru, n) => format!(" и ещё {n} раз(а)"),
                        (Lang::En, n) => format!(" and {n} more time(s)"),
                    };
                    let ev = hits.iter().take(3).map(|(_, h)| *h).collect();
                    Verdict::new(Status::Fail, found(*k, h, &tail), ev)
                } else {
                    Verdict::new(Status::Pass, wording.settled.clone(), Vec::new())
                }
            }
        }
    }

    /// Earliest match of a text node: (position in the original text, hit, wording index).
    fn earliest(&self, t: &TextNode) -> Result<Option<Earliest>, String> {
        let turns = match self.window(t.speaker, t.window) {
            Win::Turns(v) => v,
            Win::Na(r) => return Err(r),
        };
        for &turn in self.may_hit_in(t, &turns) {
            let mut best: Option<Earliest> = None;
            for k in 0..t.ids.len() {
                if let Some(h) = self.hit(t, turn, k) {
                    let off = self.orig_offset(&h);
                    if best.is_none_or(|(p, _, _)| (turn, off) < p) {
                        best = Some(((turn, off), h, k));
                    }
                }
            }
            if best.is_some() {
                return Ok(best);
            }
        }
        Ok(None)
    }

    fn orig_offset(&self, h: &Hit) -> usize {
        match h.span {
            Span::Turn => 0,
            Span::Orig(s, _) => s,
        }
    }

    fn order(&self, first: &TextNode, then: &TextNode) -> Verdict {
        let lang = self.lang;
        let then_hit = match self.earliest(then) {
            Err(r) => return Verdict::na(r),
            Ok(None) => {
                let reason = match lang {
                    Lang::Ru => format!("Не применяется: не прозвучало ни одной из фраз {} — порядок проверять не с чем.", then.wording(lang).list),
                    Lang::En => format!("Not applicable: none of {} occurred, so there is no order to check.", then.wording(lang).list),
                };
                return Verdict::na(reason);
            }
            Ok(Some(h)) => h,
        };
        let (tpos, th, tk) = then_hit;
        let then_q = &then.wording(lang).quoted[tk];
        match self.earliest(first) {
            Err(r) => Verdict::na(r),
            Ok(None) => {
                let reason = match lang {
                    Lang::Ru => format!(
                        "{then_q} ({}) прозвучало, но ему не предшествовало ни одно из: {}.",
                        self.at(&th),
                        first.wording(lang).list
                    ),
                    Lang::En => format!(
                        "{then_q} ({}) occurred without any of {} before it.",
                        self.at(&th),
                        first.wording(lang).list
                    ),
                };
                Verdict::new(Status::Fail, reason, vec![th])
            }
            Ok(Some((fpos, fh, fk))) => {
                let first_q = &first.wording(lang).quoted[fk];
                if tpos < fpos {
                    let reason = match lang {
                        Lang::Ru => format!(
                            "Нарушен порядок: {then_q} ({}) прозвучало раньше, чем {first_q} ({}).",
                            self.at(&th),
                            self.at(&fh)
                        ),
                        Lang::En => format!(
                            "Wrong order: {then_q} ({}) came before {first_q} ({}).",
                            self.at(&th),
                            self.at(&fh)
                        ),
                    };
                    Verdict::new(Status::Fail, reason, vec![th, fh])
                } else {
                    let reason = match lang {
                        Lang::Ru => format!(
                            "Порядок соблюдён: {first_q} ({}) прозвучало до {then_q} ({}).",
                            self.at(&fh),
                            self.at(&th)
                        ),
                        Lang::En => format!(
                            "Order kept: {first_q} ({}) came before {then_q} ({}).",
                            self.at(&fh),
                            self.at(&th)
                        ),
                    };
                    Verdict::new(Status::Pass, reason, vec![fh, th])
                }
            }
        }
    }

    fn pii(&self, speaker: SpeakerSel, window: Option<Window>, kinds: &[PiiKind]) -> Verdict {
        let turns = match self.window(speaker, window) {
            Win::Turns(v) => v,
            Win::Na(r) => return Verdict::na(r),
        };
        let lang = self.lang;
        let names: Vec<String> = kinds
            .iter()
            .map(|k| pii_name(*k, lang).to_string())
            .collect();
        let where_ = d::window(speaker, window, lang);
        let mut found: Vec<(usize, PiiKind)> = Vec::new();
        for &turn in turns.iter() {
            for k in &self.index.turns[turn].pii {
                if kinds.contains(k) {
                    found.push((turn, *k));
                }
            }
        }
        if let Some(&(turn, kind)) = found.first() {
            let h = Hit {
                turn,
                span: Span::Turn,
            };
            let reason = match lang {
                Lang::Ru => format!(
                    "Прозвучали персональные данные: {} {where_} ({}).",
                    pii_name(kind, lang),
                    self.at(&h)
                ),
                Lang::En => format!(
                    "Personal data disclosed: {} {where_} ({}).",
                    pii_name(kind, lang),
                    self.at(&h)
                ),
            };
            let mut ev: Vec<Hit> = Vec::new();
            for (t, _) in &found {
                if ev.len() < 3 && !ev.iter().any(|e| e.turn == *t) {
                    ev.push(Hit {
                        turn: *t,
                        span: Span::Turn,
                    });
                }
            }
            return Verdict::new(Status::Fail, reason, ev);
        }
        let reason = match lang {
            Lang::Ru => format!("Не прозвучало {where_}: {}.", names.join(", ")),
            Lang::En => format!("None disclosed {where_}: {}.", names.join(", ")),
        };
        Verdict::new(Status::Pass, reason, Vec::new())
    }

    fn all(&self, parts: &[Node]) -> Verdict {
        let vs: Vec<Verdict> = parts.iter().map(|p| self.eval(p)).collect();
        if let Some(f) = vs.iter().find(|v| v.status == Status::Fail) {
            return f.clone();
        }
        let status = if vs.iter().any(|v| v.status == Status::Review) {
            Status::Review
        } else if vs.iter().any(|v| v.status == Status::Pending) {
            Status::Pending
        } else if vs.iter().any(|v| v.status == Status::Pass) {
            Status::Pass
        } else {
            Status::Na
        };
        combine(status, vs.iter().filter(|v| v.status == status))
    }

    fn any(&self, parts: &[Node]) -> Verdict {
        let vs: Vec<Verdict> = parts.iter().map(|p| self.eval(p)).collect();
        if let Some(p) = vs.iter().find(|v| v.status == Status::Pass) {
            return p.clone();
        }
        let status = [Status::Review, Status::Pending, Status::Fail]
            .into_iter()
            .find(|s| vs.iter().any(|v| v.status == *s))
            .unwrap_or(Status::Na);
        combine(status, vs.iter().filter(|v| v.status == status))
    }
}

fn combine<'v>(status: Status, vs: impl Iterator<Item = &'v Verdict>) -> Verdict {
    let mut reasons = Vec::new();
    let mut evidence = Vec::new();
    for v in vs {
        let r = v.reason.trim_end_matches('.').to_string();
        if !r.is_empty() && !reasons.contains(&r) {
            reasons.push(r);
        }
        for h in &v.evidence {
            if !evidence.contains(h) {
                evidence.push(*h);
            }
        }
    }
    let mut reason = reasons.join("; ");
    if !reason.is_empty() {
        reason.push('.');
    }
    Verdict::new(status, reason, evidence)
}

fn pii_name(k: PiiKind, lang: Lang) -> &'static str {
    match k {
        PiiKind::Card => lang.pick("номер карты", "card number"),
        PiiKind::Cvv => lang.pick("CVV-код", "CVV code"),
        PiiKind::Phone => lang.pick("номер телефона", "phone number"),
        PiiKind::Email => lang.pick("e-mail", "e-mail address"),
        PiiKind::Passport => lang.pick("паспортные данные", "passport number"),
        PiiKind::Snils => lang.pick("СНИЛС", "SNILS"),
        PiiKind::Inn => lang.pick("ИНН", "INN"),
    }
}

impl Verdict {
    fn with_status(mut self, s: Status, reason: String) -> Self {
        self.status = s;
        self.reason = reason;
        self
    }
}
