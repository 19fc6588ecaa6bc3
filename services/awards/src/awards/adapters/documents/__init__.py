"""Official documents of the awards process, rendered as PDF bytes with fpdf2 and the DejaVu Sans fonts.

Each ``render_*`` function takes frozen input data and ``fonts``, the directory holding DejaVuSans.ttf and
DejaVuSans-Bold.ttf (see ``default_font_dir()``; deploy/fonts/install.sh installs them).
"""

from awards.adapters.documents.decision import render_decision
from awards.adapters.documents.minutes import render_minutes
from awards.adapters.documents.model import (
    AchievementReportData,
    AdHocReport,
    BallotMode,
    DecisionData,
    DecisionPrizeData,
    DecisionRecipient,
    Letterhead,
    MinutesData,
    MinutesMember,
    MinutesResult,
    MinutesVote,
    PrizeRate,
    ProposalLetterData,
    ReportCriterion,
    ReportEvidence,
    Signature,
    Vote,
)
from awards.adapters.documents.proposal import render_proposal_letter
from awards.adapters.documents.report import render_achievement_report
from thidua_commons.documents.fonts import FontsMissingError, check_fonts, default_font_dir
from thidua_commons.documents.text import format_number

__all__ = [
    "AchievementReportData",
    "AdHocReport",
    "BallotMode",
    "DecisionData",
    "DecisionPrizeData",
    "DecisionRecipient",
    "FontsMissingError",
    "Letterhead",
    "MinutesData",
    "MinutesMember",
    "MinutesResult",
    "MinutesVote",
    "PrizeRate",
    "ProposalLetterData",
    "ReportCriterion",
    "ReportEvidence",
    "Signature",
    "Vote",
    "check_fonts",
    "default_font_dir",
    "format_number",
    "render_achievement_report",
    "render_decision",
    "render_minutes",
    "render_proposal_letter",
]
