-- sentence_proposal: pre-sentence report proposals (item sentenceProposal, under its hearing)
-- recorded as at yj.as_of, of the hearings in hearing.sql; ordered by child_id, hearing_id,
-- proposal_id.
SELECT h.yp_id AS child_id,
       sp.proposal_id,
       sp.hearing_id,
       sp.proposal_cd
  FROM cms_asof.sentence_proposal(current_setting('yj.as_of')::timestamptz) AS sp
  JOIN cms_asof.hearing(current_setting('yj.as_of')::timestamptz) AS h
    ON h.hearing_id = sp.hearing_id AND h.yp_id = sp.yp_id
 WHERE (h.hearing_date <= current_setting('yj.period_end')::date OR h.hearing_date IS NULL)
   AND h.yp_id IN (SELECT c.yp_id
                   FROM cms_asof.return_children(current_setting('yj.as_of')::timestamptz,
                                                 current_setting('yj.period_end')::date) AS c)
 ORDER BY h.yp_id, sp.hearing_id, sp.proposal_id
