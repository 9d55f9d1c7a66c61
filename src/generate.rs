//! A corpus generator for tests and benchmarks (`cqa gen`): realistic bank
//! contacts — Russian voice calls and chats, English e-mails — with errors
//! planted at known rates and a ground-truth record of what was planted, so
//! that a check of the whole corpus can be compared with the truth.
//!
//! Deterministic: the same seed gives byte-identical files on any machine
//! (a SplitMix64 generator, no platform randomness).

use crate::input::contact::{Contact, Speaker, Turn};
use crate::stats::Rng;
use serde::Serialize;
use serde_json::json;

/// An error planted on purpose, and the bundled criterion that must catch it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Planted {
    NoGreeting,
    CvvRequest,
    DisclosureBeforeId,
    Rudeness,
    LongHold,
    NoFarewell,
}

impl Planted {
    pub const ALL: [Planted; 6] = [
        Planted::NoGreeting,
        Planted::CvvRequest,
        Planted::DisclosureBeforeId,
        Planted::Rudeness,
        Planted::LongHold,
        Planted::NoFarewell,
    ];
    /// The criterion of `scorecards/bank-voice-ru.json` that must fail.
    pub fn criterion(self) -> &'static str {
        match self {
            Planted::NoGreeting => "greet_standard",
            Planted::CvvRequest => "no_cvv_pin_sms",
            Planted::DisclosureBeforeId => "id_before_disclosure",
            Planted::Rudeness => "no_rudeness",
            Planted::LongHold => "hold_max",
            Planted::NoFarewell => "close_farewell",
        }
    }
    /// Share of voice contacts that get this error.
    pub fn rate(self) -> f64 {
        match self {
            Planted::NoGreeting => 0.05,
            Planted::CvvRequest => 0.02,
            Planted::DisclosureBeforeId => 0.04,
            Planted::Rudeness => 0.03,
            Planted::LongHold => 0.05,
            Planted::NoFarewell => 0.06,
        }
    }
}

/// One line of the answer key `.truth.jsonl` (hidden, so `cqa check DIR` skips it).
#[derive(Debug, Clone, Serialize)]
pub struct Truth {
    pub contact_id: String,
    pub channel: String,
    pub planted: Vec<Planted>,
}

const FIRST: [&str; 12] = [
    "Мария",
    "Анна",
    "Елена",
    "Ольга",
    "Дмитрий",
    "Алексей",
    "Ирина",
    "Сергей",
    "Наталья",
    "Павел",
    "Татьяна",
    "Андрей",
];
const LAST_F: [&str; 8] = [
    "Иванова",
    "Петрова",
    "Смирнова",
    "Кузнецова",
    "Соколова",
    "Попова",
    "Лебедева",
    "Козлова",
];
const LAST_M: [&str; 8] = [
    "Иванов",
    "Петров",
    "Смирнов",
    "Кузнецов",
    "Соколов",
    "Попов",
    "Лебедев",
    "Козлов",
];

/// Corpus settings.
#[derive(Debug, Clone, Copy)]
pub struct GenConfig {
    pub contacts: usize,
    pub agents: usize,
    pub seed: u64,
}

/// The agent of contact `i`: (id, name, team).
pub fn agent(cfg: &GenConfig, k: usize) -> (String, String, String) {
    let first = FIRST[k % FIRST.len()];
    let male = matches!(first, "Дмитрий" | "Алексей" | "Сергей" | "Павел" | "Андрей");
    let last = if male {
        LAST_M[(k / 12) % 8]
    } else {
        LAST_F[(k / 12) % 8]
    };
    let teams = (cfg.agents / 8).max(1);
    (
        format!("A{:04}", k + 1),
        format!("{last} {first}"),
        format!("Группа {}", k % teams + 1),
    )
}

struct Script {
    turns: Vec<Turn>,
    t: f64,
    rng: Rng,
}

impl Script {
    fn say(&mut self, speaker: Speaker, text: &str) {
        let words = text.split_whitespace().count() as f64;
        let start = self.t + 0.3 + self.rng.unit() * 1.2;
        let end = start + words / 2.5 + 0.4;
        self.turns.push(Turn {
            speaker,
            text: text.to_string(),
            event: None,
            start: Some(r1(start)),
            end: Some(r1(end)),
        });
        self.t = end;
    }
    fn hold(&mut self, seconds: f64) {
        let s = self.t + 0.5;
        self.turns.push(Turn {
            speaker: Speaker::System,
            text: String::new(),
            event: Some("hold_start".into()),
            start: Some(r1(s)),
            end: None,
        });
        self.turns.push(Turn {
            speaker: Speaker::System,
            text: String::new(),
            event: Some("hold_end".into()),
            start: Some(r1(s + seconds)),
            end: None,
        });
        self.t = s + seconds;
    }
}

fn r1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

const ISSUES: [(&str, &str); 5] = [
    (
        "block",
        "Здравствуйте, у меня заблокировали карту, не могу расплатиться в магазине.",
    ),
    (
        "transfer",
        "Добрый день, я вчера отправил перевод, а он до сих пор не дошёл.",
    ),
    (
        "cashback",
        "Здравствуйте, мне не начислили кэшбэк за прошлый месяц.",
    ),
    (
        "credit_limit",
        "Добрый день, хочу узнать про увеличение кредитного лимита.",
    ),
    (
        "consultation",
        "Здравствуйте, подскажите по условиям обслуживания карты.",
    ),
];

const FILLER_AGENT: [&str; 6] = [
    "Поняла вас, сейчас проверю информацию по вашему обращению.",
    "Вижу вашу операцию в системе, одну секунду.",
    "Хорошо, давайте посмотрим подробнее.",
    "Да, такая ситуация бывает, сейчас разберёмся.",
    "Спасибо, информацию получила.",
    "Проверяю данные по вашему договору.",
];
/// Customers explain themselves at some length: with one-word answers the
/// agent's share of talk would pass the voice card's 70% limit in most calls.
const FILLER_CUSTOMER: [&str; 6] = [
    "Да, конечно, я подожду, мне важно сегодня с этим разобраться до конца.",
    "Хорошо, жду. Я уже второй раз звоню по этому вопросу, в прошлый раз не решили.",
    "Понятно. А мне потом придёт какое-нибудь уведомление на телефон или в приложение?",
    "А сколько это займёт по времени? Мне деньги нужны уже на этой неделе.",
    "Да, всё верно, именно эта операция, вчера около восьми вечера.",
    "Спасибо. Я правильно понимаю, что больше ничего делать с моей стороны не нужно?",
];

fn voice(cfg: &GenConfig, id: &str, rng: &mut Rng, agent_k: usize) -> (Contact, Vec<Planted>) {
    let (agent_id, agent_name, team) = agent(cfg, agent_k);
    let own = agent_name.split(' ').nth(1).unwrap_or("Мария").to_string();
    let planted: Vec<Planted> = Planted::ALL
        .into_iter()
        .filter(|p| rng.chance(p.rate()))
        .collect();
    let has = |p: Planted| planted.contains(&p);
    let (category, issue) = ISSUES[rng.below(ISSUES.len())];
    let mut s = Script {
        turns: Vec::new(),
        t: 0.0,
        rng: Rng::new(rng.next_u64()),
    };
    let greeting = if has(Planted::NoGreeting) {
        format!("Банк «Пример», {own}, слушаю вас. Разговор записывается.")
    } else {
        format!("Банк «Пример», {own}, здравствуйте! Разговор записывается.")
    };
    s.say(Speaker::Agent, &greeting);
    s.say(Speaker::Customer, issue);
    s.say(
        Speaker::Agent,
        "Уточните, пожалуйста, когда именно это произошло?",
    );
    s.say(
        Speaker::Customer,
        "Вчера вечером, примерно в восемь, я как раз был в магазине у дома.",
    );
    let disclose = format!("Баланс составляет {} рублей.", 1000 + rng.below(90) * 500);
    if has(Planted::DisclosureBeforeId) {
        s.say(Speaker::Agent, &disclose);
        s.say(Speaker::Customer, "Да, это похоже на правду.");
    }
    s.say(
        Speaker::Agent,
        "Для проверки личности назовите, пожалуйста, кодовое слово.",
    );
    s.say(
        Speaker::Customer,
        "Ромашка. И дата рождения, если нужно, двенадцатое мая восемьдесят пятого года.",
    );
    if has(Planted::CvvRequest) {
        s.say(
            Speaker::Agent,
            "И продиктуйте, пожалуйста, три цифры на обратной стороне карты.",
        );
        s.say(Speaker::Customer, "Хорошо, сейчас посмотрю.");
    }
    let fillers = rng.below(26);
    for _ in 0..fillers {
        let a = FILLER_AGENT[s.rng.below(FILLER_AGENT.len())];
        let c = FILLER_CUSTOMER[s.rng.below(FILLER_CUSTOMER.len())];
        s.say(Speaker::Agent, a);
        s.say(Speaker::Customer, c);
    }
    if has(Planted::Rudeness) {
        s.say(Speaker::Agent, "Успокойтесь, пожалуйста, я всё объясню.");
        s.say(Speaker::Customer, "Я спокоен.");
    }
    let holds = has(Planted::LongHold) || rng.chance(0.3);
    if holds {
        s.say(
            Speaker::Agent,
            "Оставайтесь, пожалуйста, на линии, я уточню информацию.",
        );
        let len = if has(Planted::LongHold) {
            150.0 + rng.unit() * 150.0
        } else {
            20.0 + rng.unit() * 70.0
        };
        s.hold(r1(len));
        s.say(Speaker::Agent, "Спасибо за ожидание.");
    }
    if !has(Planted::DisclosureBeforeId) {
        s.say(Speaker::Agent, &disclose);
    }
    if category == "block" {
        // The voice card's `fraud_warning`: a blocked card needs the reminder.
        s.say(
            Speaker::Agent,
            "Напоминаю: никому не сообщайте данные карты, сотрудники банка их никогда не запрашивают.",
        );
        s.say(
            Speaker::Customer,
            "Да, я знаю, мне уже звонили какие-то мошенники на прошлой неделе.",
        );
    }
    s.say(Speaker::Agent, "Правильно ли я понимаю, что вопрос именно в этой операции? Деньги поступят в течение трёх рабочих дней.");
    s.say(
        Speaker::Customer,
        "Да, всё так, спасибо, теперь понятно, что происходит.",
    );
    s.say(
        Speaker::Agent,
        "Кстати, по вашей карте можно подключить кэшбэк на категории покупок.",
    );
    s.say(
        Speaker::Customer,
        "Спасибо, подумаю, может быть, подключу со следующего месяца.",
    );
    s.say(Speaker::Agent, "Могу ли я ещё чем-то помочь?");
    s.say(Speaker::Customer, "Нет, спасибо.");
    if !has(Planted::NoFarewell) {
        s.say(Speaker::Agent, "Спасибо за обращение, всего доброго!");
    } else {
        s.say(Speaker::Agent, "Угу.");
    }
    let duration = r1(s.t + 1.0);
    let contact = Contact {
        id: id.to_string(),
        channel: Some("voice".into()),
        agent_id,
        agent_name: Some(agent_name),
        team: Some(team),
        started_at: Some(started(rng)),
        duration_s: Some(duration),
        queue: Some("cards".into()),
        language: Some("ru".into()),
        metadata: json!({"category": category, "csat": 1 + rng.below(5)})
            .as_object()
            .cloned()
            .unwrap_or_default(),
        turns: s.turns,
        load_warnings: Vec::new(),
    };
    (contact, planted)
}

fn started(rng: &mut Rng) -> String {
    format!(
        "2026-11-{:02}T{:02}:{:02}:00+03:00",
        2 + rng.below(27),
        9 + rng.below(10),
        rng.below(60)
    )
}

fn chat(cfg: &GenConfig, id: &str, rng: &mut Rng, agent_k: usize) -> Contact {
    let (agent_id, agent_name, team) = agent(cfg, agent_k);
    let own = agent_name.split(' ').nth(1).unwrap_or("Мария").to_string();
    let mut turns = Vec::new();
    let mut t = 0.0;
    let mut msg = |sp: Speaker, text: String, gap: f64| {
        t += gap;
        turns.push(Turn {
            speaker: sp,
            text,
            event: None,
            start: Some(r1(t)),
            end: None,
        });
    };
    msg(
        Speaker::Customer,
        "Добрый день! Не приходит кэшбэк за октябрь.".into(),
        0.0,
    );
    msg(
        Speaker::Agent,
        format!("Здравствуйте! Меня зовут {own}, помогу разобраться."),
        10.0 + rng.unit() * 40.0,
    );
    for _ in 0..rng.below(8) {
        msg(
            Speaker::Customer,
            "Подскажите, когда будет начисление?".into(),
            20.0 + rng.unit() * 30.0,
        );
        msg(
            Speaker::Agent,
            "Проверяю информацию по вашему договору.".into(),
            10.0 + rng.unit() * 60.0,
        );
    }
    // The chat card's `chat_cross_sell`: a consultation on cashback includes an offer.
    msg(
        Speaker::Agent,
        "Кстати, могу предложить подключить повышенный кэшбэк на любимые категории — это бесплатно.".into(),
        15.0,
    );
    msg(
        Speaker::Agent,
        "Начисление поступит в течение пяти рабочих дней. Могу ли я ещё чем-то помочь?".into(),
        15.0,
    );
    msg(Speaker::Customer, "Нет, спасибо!".into(), 20.0);
    msg(
        Speaker::Agent,
        "Спасибо за обращение, хорошего дня!".into(),
        10.0,
    );
    Contact {
        id: id.to_string(),
        channel: Some("chat".into()),
        agent_id,
        agent_name: Some(agent_name),
        team: Some(team),
        started_at: Some(started(rng)),
        duration_s: None,
        queue: Some("cashback".into()),
        language: Some("ru".into()),
        metadata: json!({"category": "cashback"})
            .as_object()
            .cloned()
            .unwrap_or_default(),
        turns,
        load_warnings: Vec::new(),
    }
}

fn email(cfg: &GenConfig, id: &str, rng: &mut Rng, agent_k: usize) -> Contact {
    let (agent_id, agent_name, team) = agent(cfg, agent_k);
    let turns = vec![
        Turn { speaker: Speaker::Customer, text: "Hello, my card was charged twice for the same purchase. Please help.".into(), event: None, start: Some(0.0), end: None },
        Turn {
            speaker: Speaker::Agent,
            text: "Dear customer, thank you for contacting us. We have opened a dispute for the duplicate charge; the refund will arrive within 10 business days. Kind regards, Customer Care".into(),
            event: None,
            start: Some(r1(3600.0 + rng.unit() * 20000.0)),
            end: None,
        },
    ];
    Contact {
        id: id.to_string(),
        channel: Some("email".into()),
        agent_id,
        agent_name: Some(agent_name),
        team: Some(team),
        started_at: Some(started(rng)),
        duration_s: None,
        queue: Some("disputes".into()),
        language: Some("en".into()),
        metadata: json!({"category": "dispute"})
            .as_object()
            .cloned()
            .unwrap_or_default(),
        turns,
        load_warnings: Vec::new(),
    }
}

/// Generates contact `i` of the corpus. Each contact has its own stream of
/// random numbers, so contacts can be made in any order or in parallel.
pub fn contact(cfg: &GenConfig, i: usize) -> (Contact, Truth) {
    let mut rng =
        Rng::new(cfg.seed.wrapping_mul(0x100_0000_01B3) ^ (i as u64).wrapping_mul(0x9E37_79B9));
    let id = format!("G-{:08}", i + 1);
    let agent_k = rng.below(cfg.agents.max(1));
    let roll = rng.unit();
    let (c, planted) = if roll < 0.75 {
        voice(cfg, &id, &mut rng, agent_k)
    } else if roll < 0.92 {
        (chat(cfg, &id, &mut rng, agent_k), Vec::new())
    } else {
        (email(cfg, &id, &mut rng, agent_k), Vec::new())
    };
    let truth = Truth {
        contact_id: id,
        channel: c.channel.clone().unwrap_or_default(),
        planted,
    };
    (c, truth)
}
