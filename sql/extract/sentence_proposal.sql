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
   AND EXISTS (SELECT 1
                 FROM cms_asof.young_person(current_setting('yj.as_of')::timestamptz) AS yp
                WHERE yp.yp_id = h.yp_id
                  AND (yp.first_contact_date <= current_setting('yj.period_end')::date
                       OR yp.first_contact_date IS NULL))
 ORDER BY h.yp_id, sp.hearing_id, sp.proposal_id
