//! A live preset trained against the clock: steps of [`Stepper`] with the heads scored every
//! few steps (the scoring's time not counted), until the top induction score passes
//! [`PHASE_CHANGE_INDUCTION`] or the time is up. `icl live-probe` prints its rows; the
//! benchmarks report its time to the phase change and the 1-layer control's score.

use burn::tensor::Device;

use crate::bench::clock::Clock;
use crate::eval::metrics::{HEAD_PROBE, head_scores, max_score};
use crate::train::config::SettingsError;
use crate::train::live::{Live, PHASE_CHANGE_INDUCTION};
use crate::train::step::Stepper;

/// The scores after one stretch of steps.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RaceRow {
    pub step: usize,
    /// Seconds of training so far.
    pub seconds: f64,
    pub tokens_per_s: f64,
    pub loss: f32,
    pub induction: f32,
    pub previous: f32,
}

/// How a race ended.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Race {
    /// The step and seconds of training at which the top induction score first passed
    /// [`PHASE_CHANGE_INDUCTION`].
    pub passed: Option<(usize, f64)>,
    /// The last row scored.
    pub last: RaceRow,
}

/// When a race stops.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Until {
    /// Seconds of training at most.
    pub seconds: f64,
    /// Stop as soon as the induction score passes the phase change.
    pub formed: bool,
}

/// A race run a stretch at a time, so that a caller can let other work in between (the
/// browser's event loop).
pub struct Racer {
    stepper: Stepper,
    tokens_per_step: usize,
    clock: Clock,
    until: Until,
    every: usize,
    trained_ms: f64,
    passed: Option<(usize, f64)>,
    last: Option<RaceRow>,
}

impl Racer {
    /// `live` from `seed` on `device`, scored every `every` steps until `until`. The run itself
    /// is the page's (same [`Stepper`], same batches).
    pub fn new(
        live: &Live,
        seed: u64,
        device: Device,
        clock: Clock,
        until: Until,
        every: usize,
    ) -> Result<Racer, SettingsError> {
        Ok(Racer {
            stepper: Stepper::new(&live.train_config(seed), live.model_config(), device, None)?,
            tokens_per_step: live.tokens_per_step(),
            clock,
            until,
            every: every.max(1),
            trained_ms: 0.0,
            passed: None,
            last: None,
        })
    }

    /// Trains one stretch and scores the heads (off the clock).
    pub fn stretch(&mut self) -> RaceRow {
        let start = (self.clock)();
        let mut loss = 0.0;
        for _ in 0..self.every {
            loss = self.stepper.step().loss;
        }
        self.trained_ms += (self.clock)() - start;
        let s = head_scores(
            &self.stepper.valid(),
            self.stepper.device(),
            HEAD_PROBE.seed,
            HEAD_PROBE.strings,
            HEAD_PROBE.len,
        );
        let seconds = self.trained_ms / 1000.0;
        let row = RaceRow {
            step: self.stepper.step,
            seconds,
            tokens_per_s: (self.stepper.step * self.tokens_per_step) as f64 / seconds.max(1e-9),
            loss,
            induction: s.top_induction(),
            previous: max_score(&s.previous_token),
        };
        if self.passed.is_none() && row.induction >= PHASE_CHANGE_INDUCTION {
            self.passed = Some((row.step, seconds));
        }
        self.last = Some(row);
        row
    }

    /// How the race ended, once it has (`None` before).
    pub fn result(&self) -> Option<Race> {
        let last = self.last?;
        let done =
            last.seconds >= self.until.seconds || (self.until.formed && self.passed.is_some());
        done.then_some(Race {
            passed: self.passed,
            last,
        })
    }
}

/// Runs `racer` to its end; `row` sees each scored row.
pub fn race(mut racer: Racer, mut row: impl FnMut(&RaceRow)) -> Race {
    loop {
        row(&racer.stretch());
        if let Some(r) = racer.result() {
            return r;
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::bench::clock::native_clock;

    #[test]
    fn a_race_scores_every_stretch_and_stops_on_time() {
        let mut rows = Vec::new();
        let until = Until {
            seconds: 0.0,
            formed: false,
        };
        let racer = Racer::new(&Live::ONE, 0, Device::flex(), native_clock, until, 2).unwrap();
        let r = race(racer, |r| rows.push(*r));
        // Time is up after the first stretch: one row, at step 2, scores in range.
        assert_eq!(rows.len(), 1);
        assert_eq!(r.last, rows[0]);
        assert_eq!(r.last.step, 2);
        assert!(r.last.tokens_per_s > 0.0 && r.last.loss.is_finite());
        assert!((0.0..=1.0).contains(&r.last.induction));
        assert_eq!(
            r.passed, None,
            "an untrained 1-layer model has no induction head"
        );
    }
}
