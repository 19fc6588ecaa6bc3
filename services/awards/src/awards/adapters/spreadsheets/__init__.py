"""Spreadsheets of the awards process, as Excel workbooks (openpyxl): the payment list of a decision."""

from awards.adapters.spreadsheets.payments import PaymentList, PaymentRow, render_payment_list

__all__ = ["PaymentList", "PaymentRow", "render_payment_list"]
