"""Figures of harm and platform responsiveness, without Django: accessible SVG and PNG charts,
small-count suppression with complementary suppression, the differencing attacker that checks
it, differentially private counts, and the mapping of self-described gender to categories."""
