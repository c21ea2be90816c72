/*
 * kxml.h - <child> elements of a schema-11 return, as string literals, for the KPI tests.
 *
 * Element names are those of mappings/schema-11/items.conf; only the fields the KPIs read
 * (and a few the return always has) are written. Synthetic data only: ypids YPK0001..., no
 * names or addresses. Every macro expands to adjacent string literals.
 */
#ifndef YJ_KXML_H
#define YJ_KXML_H

#define OPEN "1900-01-01"

#define CHILD(body) "  <child>\n" body "  </child>\n"
#define PERSON(ypid, dob)                                                                          \
    "<person><ypid>" ypid "</ypid><currentYotId>MEDWAY</currentYotId><dateOfBirth>" dob            \
    "</dateOfBirth><sex>1</sex><ethnicity>W1</ethnicity></person>\n"

/* offences and their legal outcomes */
#define OFFENCE(id, body) "<offence><offenceId>" id "</offenceId>" body "</offence>\n"
#define ARREST_AGE(a) "<ageOnArrestDate>" a "</ageOnArrestDate>"
#define OFFENCE_AGE(a) "<ageOnOffenceDate>" a "</ageOnOffenceDate>"
#define HEARING_AGE(a) "<ageOnFirstHearing>" a "</ageOnFirstHearing>"
#define CATEGORY(c) "<yjbOffenceCategory>" c "</yjbOffenceCategory>"
#define GRAVITY(g) "<yjbSeriousnessScore>" g "</yjbSeriousnessScore>"
#define OUTCOME_X(date, pre, legal, group, post)                                                   \
    "<offenceLegalOutcome><mainOrOther>MAIN</mainOrOther><outcomeDate>" date "</outcomeDate>" pre  \
    "<legalOutcome>" legal "</legalOutcome><legalOutcomeGroup>" group                              \
    "</legalOutcomeGroup><cmsLegalOutcome>X</cmsLegalOutcome>" post "</offenceLegalOutcome>"
#define LIVED(r) "<residenceOnLegalOutcomeDate>" r "</residenceOnLegalOutcomeDate>"
#define APPEAL(a) "<outcomeAppealStatus>" a "</outcomeAppealStatus>"
/* the usual outcome: not appealed, the child lived locally */
#define OUTCOME(date, legal, group) OUTCOME_X(date, "", legal, group, LIVED("LOCAL"))

/* intervention programmes and links */
#define PROGRAMME_X(id, start, end_xml, disposal, extra)                                           \
    "<interventionProgramme><interventionProgrammeId>" id                                          \
    "</interventionProgrammeId><startDate>" start "</startDate>" end_xml "<disposalType>" disposal \
    "</disposalType>" extra "</interventionProgramme>\n"
#define PROGRAMME(id, start, end, disposal, extra)                                                 \
    PROGRAMME_X(id, start, "<endDate>" end "</endDate>", disposal, extra)
#define COMPLETED(v) "<kpi6SuccessfullyCompleted>" v "</kpi6SuccessfullyCompleted>"
#define LINK(offence, programme)                                                                   \
    "<offenceProgrammeLink><offenceId>" offence "</offenceId><interventionProgrammeId>" programme  \
    "</interventionProgrammeId></offenceProgrammeLink>\n"

/* records */
#define RESIDENCE_X(start, end_xml, type, suit_xml)                                                \
    "<residence><date>" start "</date>" end_xml "<kpi1AccommodationType>" type                     \
    "</kpi1AccommodationType>" suit_xml "</residence>\n"
#define RESIDENCE(start, end, type, suit)                                                          \
    RESIDENCE_X(start, "<kpi1EndDate>" end "</kpi1EndDate>", type,                                 \
                "<kpi1AccommodationSuitability>" suit "</kpi1AccommodationSuitability>")
#define ETE_X(start, end, prov, suit_xml, hours)                                                   \
    "<eteStatus><startDate>" start "</startDate><endDate>" end "</endDate><provisionType>" prov    \
    "</provisionType>" suit_xml hours "</eteStatus>\n"
#define ETE(start, end, prov, suit, hours)                                                         \
    ETE_X(start, end, prov, "<suitability>" suit "</suitability>", hours)
#define OFFERED(h) "<hoursOffered>" h "</hoursOffered>"
#define ATTENDED(h) "<hoursAttended>" h "</hoursAttended>"
#define CARE(status, start, end)                                                                   \
    "<careStatus><status>" status "</status><startDate>" start "</startDate><endDate>" end         \
    "</endDate></careStatus>\n"
#define SEND(ident, plan_xml, start, end)                                                          \
    "<sendAln><kpi3IdentifiedSendAln>" ident "</kpi3IdentifiedSendAln>" plan_xml                   \
    "<kpi3SendStartDate>" start "</kpi3SendStartDate><kpi3SendEndDate>" end                        \
    "</kpi3SendEndDate></sendAln>\n"
#define PLAN(p) "<kpi3SendFormalPlan>" p "</kpi3SendFormalPlan>"
#define SCREEN(item, k, screened, offered, att_start, att_end, type_xml)                           \
    "<" item "><" k "DateScreened>" screened "</" k "DateScreened><" k                             \
    "DateReferred>1900-01-01</" k "DateReferred><" k "DateOffered>" offered "</" k                 \
    "DateOffered><" k "DateAttendedStart>" att_start "</" k "DateAttendedStart><" k                \
    "DateAttendedEnd>" att_end "</" k "DateAttendedEnd>" type_xml "</" item ">\n"
#define MH(screened, offered, att_start, att_end, type_xml)                                        \
    SCREEN("mentalHealth", "kpi4", screened, offered, att_start, att_end, type_xml)
#define MH_TYPE(t) "<kpi4InterventionType>" t "</kpi4InterventionType>"
#define SM(screened, offered, att_start, att_end, type_xml)                                        \
    SCREEN("substanceMisuse", "kpi5", screened, offered, att_start, att_end, type_xml)
#define SM_TYPE(t) "<kpi5InterventionType>" t "</kpi5InterventionType>"

/* victims */
#define VICTIM(vi, vid, flags)                                                                     \
    "<victimIntervention><victimInterventionId>" vi "</victimInterventionId><victimId>" vid        \
    "</victimId><yjsContactDate>1900-01-01</yjsContactDate>" flags "</victimIntervention>\n"
#define CONSENT(v) "<consentYjsContact>" v "</consentYjsContact>"
#define VIEW_PRIOR(v) "<viewPrior>" v "</viewPrior>"
#define ENGAGED_RJ(v) "<engagedRj>" v "</engagedRj>"
#define PROGRESS_REQ(v) "<progressRequest>" v "</progressRequest>"
#define PROGRESS_GIVEN(v) "<progressProvided>" v "</progressProvided>"
#define SUPPORT_REQ(v) "<additionalSupportRequest>" v "</additionalSupportRequest>"
#define SUPPORT_GIVEN(v) "<additionalSupportProvided>" v "</additionalSupportProvided>"
#define VLINK(offence, vi)                                                                         \
    "<offenceVictimLink><offenceId>" offence "</offenceId><victimInterventionId>" vi               \
    "</victimInterventionId></offenceVictimLink>\n"

#endif
