"""The tolerance band a ratio (share heard / share in the buurt) is judged by.

Every layer flags with the same numbers: the coverage table and the plan (engagement),
the profile coverage (profiles), the report and the dashboard. They sit in the lowest
package so that profiles, which may not import engagement, uses the same band;
engagement.vocabulary re-exports them next to the labels.
"""
from __future__ import annotations

UNDER = 0.8   # below 0.8 times its share a group is "ondervertegenwoordigd"
OVER = 1.25   # above 1.25 times (= 1 / 0.8) it is "oververtegenwoordigd"
