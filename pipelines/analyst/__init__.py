"""What analysts get out of the warehouse: exports of the marts and the evidence site."""
