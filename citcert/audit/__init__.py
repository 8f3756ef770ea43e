"""The audit: evidence workbook reader, scoring, decision, gaps, remediation plan and batch."""
