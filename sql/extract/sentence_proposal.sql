-- sentence_proposal: pre-sentence report proposals (item sentenceProposal, under its hearing)
-- in the return: as recorded at yj.as_of, of the hearings in hearing.sql
-- (cms_asof.sentence_proposal_in_return, sql/warehouse/025_return.sql); ordered by child_id,
-- hearing_id, proposal_id.
-- cost: 230 ms
SELECT sp.yp_id AS child_id,
       sp.proposal_id,
       sp.hearing_id,
       sp.proposal_cd
  FROM cms_asof.sentence_proposal_in_return() AS sp
 ORDER BY sp.yp_id, sp.hearing_id, sp.proposal_id
