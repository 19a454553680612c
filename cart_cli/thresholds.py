"""The numbers the rules grade readings by, each stated once with its source.

The rules (``rules.py``), their summaries and messages, set-up's help and checks, and the
report's guide lines are all written from these (docs/clinical-basis.md section 3, from the seed
and T1, T3, T6, T11-T13, T19, T27). The fever threshold itself is the plan's (``models``:
DEFAULT/MIN/MAX_FEVER_THRESHOLD_C). No imports: any module,
even one `cart log` loads first, can use it for free.
"""

from __future__ import annotations

RAISED_TEMPERATURE_C = 37.5  # T1: many UK hospitals ask for a call from here
LOW_TEMPERATURE_C = 36.0  # T1 / T6: below this is a risk sign
VERY_LOW_TEMPERATURE_C = 35.0  # T12: NEWS2's top score is 35.0 °C or less
LOW_SYSTOLIC = 90  # T11: NICE high risk is systolic 90 or less
BORDERLINE_SYSTOLIC = 100  # T11: 91-100 is moderate-to-high risk
FAST_PULSE = 130  # T6: above 130 is high risk
RAISED_PULSE = 90  # T19: NG51 counts a heart rate of 91-130 as moderate-to-high risk
LOW_SPO2 = 92  # T13: 92% or less means urgent help
BORDERLINE_SPO2 = 94  # T13: 93-94% means speaking to a clinician the same day
# Breaths a minute (counted for 30 seconds and doubled, T27). NEWS2 scores 8 or fewer and 25 or
# more highest; NG51 counts 25 or more as high risk and 21-24 as moderate-to-high (T19).
FAST_BREATHING = 25  # T19, T27: 25 or more a minute is red
RAISED_BREATHING = 21  # T19, T27: 21-24 a minute is amber
SLOW_BREATHING = 11  # T27: 9-11 a minute is amber
VERY_SLOW_BREATHING = 8  # T27 and section 3: 8 or fewer a minute is an emergency
EXTREME_FATIGUE_SCORE = 9  # seed: "extreme tiredness" is a sign of infection
RAISED_FATIGUE_SCORE = 7
FATIGUE_MAX = 10  # the fatigue scale is 0-10
# `cart setup --reading-gap`: how old the latest temperature may be (section 3; default in models)
MIN_READING_GAP_HOURS, MAX_READING_GAP_HOURS = 4, 24
# The window `cart check`, the advice `cart log` gives, the dashboard and the report's check
# look at: the last day, as the 24-hour lines think of it.
CHECK_WINDOW_HOURS = 24
# seed: nervous-system problems (and other side effects) can start up to 8 weeks after infusion
NEURO_WINDOW_DAYS = 56
NEURO_WINDOW_WEEKS = NEURO_WINDOW_DAYS // 7
ICE_MAX = 10  # T4: the ICE score is out of 10; 10 is normal
ICE_RED_AT_ANY_TIME = 6  # a score of 6 or less is ICANS grade 2 or worse (T4): red at any time
MEDICINE_MASK_HOURS = 6  # T16: a temperature this soon after a fever-lowering dose may read low
FLUIDS_TARGET_LITRES = (2.0, 3.0)  # seed: drink two to three litres a day
