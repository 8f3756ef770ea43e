"""
The reviewer's workbook and the consensus workbook, as formats: one layout, a writer, a reader.

A reviewer's workbook is the submitted evidence workbook with every one of its cells locked,
plus the reviewer's own sheets (`layout`): Review (per requirement a rating, a comment for the
program, an internal note for the panel, a strength), Corrections (program numbers the reviewer
corrects, with a reason), Reviewer (name, date, draft or final) and a hidden sheet binding it to
the submission by SHA-256. A consensus workbook has the same shape, with each rater's rating
beside the consensus rating and a reason for every disagreement.
"""
