//! How a cqa command ended, as its process exit code.
//!
//! Defined once, here, because schedulers and scripts branch on them: a
//! nightly job must tell "the run is fine, some inputs were rejected" (0)
//! from "the run scored nothing" (3) without parsing the terminal. Every
//! command uses the same codes; `--help` and the README list them from
//! [`HELP`].

/// A process exit code with a meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Exit {
    /// The command did its job (a check may still have rejected some inputs:
    /// they are listed in rejected.jsonl).
    Done,
    /// Output could not be written (disk full, no permission), or an internal failure.
    Output,
    /// Usage: a bad option, a path on the command line that does not exist,
    /// an invalid scorecard, unreadable mapping/registry, an --out folder in use.
    Usage,
    /// The command ran but had nothing to work on: a check that scored no
    /// contact (none found, or every one rejected), a sample drawn from an
    /// empty pool, forms with no contact to evaluate, a calibration without
    /// evaluations.
    Nothing,
    /// Stopped by SIGINT (Ctrl-C): 128 + 2, as a shell reports it.
    Interrupted,
    /// Stopped by SIGTERM: 128 + 15.
    Terminated,
}

impl Exit {
    /// The number the process exits with.
    pub fn code(self) -> i32 {
        match self {
            Exit::Done => 0,
            Exit::Output => 1,
            Exit::Usage => 2,
            Exit::Nothing => 3,
            Exit::Interrupted => 130,
            Exit::Terminated => 143,
        }
    }

    /// The exit of a process stopped by `signal` (SIGINT or SIGTERM).
    pub fn for_signal(signal: i32) -> Exit {
        if signal == SIGTERM {
            Exit::Terminated
        } else {
            Exit::Interrupted
        }
    }
}

/// SIGINT's number (the same on every Unix).
pub const SIGINT: i32 = 2;
/// SIGTERM's number (the same on every Unix).
pub const SIGTERM: i32 = 15;

/// The exit codes as `--help` shows them (after each command's options).
pub const HELP: &str = "\
Коды выхода:
  0    выполнено (часть входов может быть отклонена: см. rejected.jsonl)
  1    не удалось записать результат
  2    ошибка вызова: параметр, несуществующий путь, карта оценки, папка --out занята
  3    нечего обрабатывать: ни один контакт не оценён (не найдено или все отклонены;
       часть --shard тогда завершается с 0, а report по всем частям — с 3),
       пустой пул выборки, нет контактов для форм, нет оценок для калибровки
  130  прервано Ctrl-C (SIGINT); 143  остановлено SIGTERM
Exit codes:
  0    done (some inputs may be rejected: see rejected.jsonl)
  1    output could not be written
  2    usage: bad option, missing input path, invalid scorecard, --out folder in use
  3    nothing to work on: check scored no contact (none found or all rejected;
       a --shard then exits 0, and report over all shards exits 3),
       sample from an empty pool, forms with no contact, calibrate without evaluations
  130  stopped by Ctrl-C (SIGINT); 143  stopped by SIGTERM";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signals_exit_as_a_shell_reports_them() {
        assert_eq!(Exit::for_signal(SIGINT).code(), 128 + SIGINT);
        assert_eq!(Exit::for_signal(SIGTERM).code(), 128 + SIGTERM);
    }

    #[test]
    fn help_lists_every_code() {
        for e in [
            Exit::Done,
            Exit::Output,
            Exit::Usage,
            Exit::Nothing,
            Exit::Interrupted,
            Exit::Terminated,
        ] {
            assert!(HELP.contains(&format!(" {} ", e.code())), "{e:?}");
        }
    }
}
