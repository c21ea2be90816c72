-- sentence_proposal: pre-sentence report proposals (item sentenceProposal, under its hearing)
-- recorded as at yj.as_of, of the hearings in hearing.sql (cms_asof.hearing_in_return,
-- sql/warehouse/025_return.sql); ordered by child_id, hearing_id, proposal_id.
SELECT h.yp_id AS child_id,
       sp.proposal_id,
       sp.hearing_id,
       sp.proposal_cd
  FROM cms_asof.sentence_proposal(current_setting('yj.as_of')::timestamptz) AS sp
  JOIN cms_asof.hearing_in_return(current_setting('yj.as_of')::timestamptz,
                                  current_setting('yj.period_end')::date) AS h
    ON h.hearing_id = sp.hearing_id AND h.yp_id = sp.yp_id
 ORDER BY h.yp_id, sp.hearing_id, sp.proposal_id
