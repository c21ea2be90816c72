/*
 * test_kchild.c - the child the KPIs read, filled from the events of a walk of the return
 * (etl/kpi/kchild.c over cld_reader_walk), for what the tree of each child used to give
 * without being asked: attributes on items and fields, empty and repeated elements, an item
 * repeated many times, an element nobody reads skipped with everything inside it (even
 * elements named like items and fields), entities, character references, CDATA and comments
 * inside a field, whitespace around a field's text, and a child's second person element.
 */
#include "cldreader.h"
#include "kchild.h"
#include "kconf.h"
#include "period.h"

#include "kret.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CHILDREN 4

/* The children a walk filled; their lists stay in the arena, which is not reset. */
struct got {
    struct kchild_reader kr;
    struct kchild c[MAX_CHILDREN];
    int n;
    enum cld_kind in;
};

static void
on_prepare(void *arg, struct cld_reader *r)
{
    kchild_reader_prepare(&((struct got *)arg)->kr, r);
}

static int
on_begin(void *arg, enum cld_kind kind)
{
    struct got *g = arg;

    g->in = kind;
    if (kind != CLD_CHILD)
        return CLD_WALK_SKIP;
    kchild_reader_begin(&g->kr);
    return CLD_WALK_ELEMENTS;
}

static int
on_open(void *arg, int depth, const xmlChar *name)
{
    return kchild_reader_open(&((struct got *)arg)->kr, depth, name);
}

static void
on_close(void *arg, int depth, const xmlChar *name, const char *text, size_t len)
{
    kchild_reader_close(&((struct got *)arg)->kr, depth, name, text, len);
}

static void
on_end(void *arg, enum cld_kind kind)
{
    struct got *g = arg;

    cr_assert_eq(kind, CLD_CHILD);
    cr_assert_lt(g->n, MAX_CHILDREN);
    g->c[g->n++] = *kchild_reader_child(&g->kr);
}

/* Walks a return holding CHILDREN (<child> elements) into G; K and A stay alive for G's
 * strings and lists. */
static void
walk(struct kret *ret, const char *children, struct kconf *k, struct arena *a, struct got *g)
{
    const struct cld_walk w = {on_prepare, on_begin, on_open, on_close, on_end, g};
    struct cld_reader r;
    struct yj_error err;

    kret_init(ret);
    kret_return(ret, children);
    kconf_init(k);
    yj_error_init(&err);
    cr_assert_eq(kconf_load(k, YJ_SOURCE_DIR "/mappings/schema-11", &err), YJ_OK, "%s",
                 err.message);
    arena_init(a);
    memset(g, 0, sizeof(*g));
    kchild_reader_init(&g->kr, (const char *const *)k->fields, a);
    cld_reader_init(&r);
    cr_assert_eq(cld_reader_open(&r, ret->ret, "11", &err), YJ_OK, "%s", err.message);
    cr_assert_eq(cld_reader_walk(&r, &w, &err), YJ_OK, "%s", err.message);
    cr_assert_eq(r.kind, CLD_END);
    cld_reader_release(&r);
}

static void
done(struct kret *ret, struct kconf *k, struct arena *a)
{
    arena_release(a);
    kconf_release(k);
    kret_release(ret);
}

static long
day(const char *s)
{
    long d;
    cr_assert_eq(date_parse(s, &d), 0);
    return d;
}

TestSuite(kchild, .fini = kret_fini);

Test(kchild, attributes_and_namespaces_do_not_change_what_is_read)
{
    struct kret ret;
    struct kconf k;
    struct arena a;
    struct got g;

    walk(&ret,
         "<child><person id=\"p1\" xml:lang=\"en\"><ypid type=\"x\">YPK3001</ypid>"
         "<dateOfBirth a='1' b=\"&amp;\">2009-01-01</dateOfBirth></person>"
         "<o:offence xmlns:o=\"urn:example:other\"><offenceId>1</offenceId>"
         "<yjbSeriousnessScore q=\"9\">5</yjbSeriousnessScore></o:offence></child>\n",
         &k, &a, &g);
    cr_assert_eq(g.n, 1);
    cr_assert_str_eq(g.c[0].ypid, "YPK3001");
    cr_assert_eq(g.c[0].dob, day("2009-01-01"));
    /* the tree read elements by their local name: so does the walk */
    cr_assert_eq(g.c[0].noffences, 1);
    cr_assert_str_eq(g.c[0].offences[0].id, "1");
    cr_assert_eq(g.c[0].offences[0].score, 5);
    done(&ret, &k, &a);
}

Test(kchild, empty_and_absent_fields)
{
    struct kret ret;
    struct kconf k;
    struct arena a;
    struct got g;
    const struct kprogramme *p;

    walk(&ret,
         "<child><person><ypid/><dateOfBirth></dateOfBirth></person>"
         "<interventionProgramme><interventionProgrammeId></interventionProgrammeId>"
         "<startDate/><kpi6SuccessfullyCompleted/></interventionProgramme>"
         "<interventionProgramme/><residence/></child>\n",
         &k, &a, &g);
    cr_assert_eq(g.n, 1);
    /* an empty element is present with no text; an absent one is absent */
    cr_assert_str_eq(g.c[0].ypid, "");
    cr_assert_eq(g.c[0].dob, DATE_NONE);
    cr_assert_eq(g.c[0].nprogrammes, 2);
    p = &g.c[0].programmes[0];
    cr_assert_eq(p->pos, 1);
    cr_assert_str_eq(p->id, "");
    cr_assert_null(p->disposal);
    cr_assert_eq(p->start, DATE_NONE);
    cr_assert_eq(p->end, DATE_NONE);
    cr_assert_eq(p->completed, 0);
    p = &g.c[0].programmes[1];
    cr_assert_eq(p->pos, 2);
    cr_assert_null(p->id);
    cr_assert_eq(p->completed, -1);
    cr_assert_eq(g.c[0].nresidences, 1);
    cr_assert_eq(g.c[0].residences[0].pos, 1);
    cr_assert_null(g.c[0].residences[0].code);
    cr_assert_eq(g.c[0].residences[0].hours_offered, -1);
    cr_assert_eq(g.c[0].noffences, 0);
    cr_assert_eq(g.c[0].nvictims, 0);
    done(&ret, &k, &a);
}

Test(kchild, an_item_repeated_many_times_keeps_every_record_in_order)
{
    enum { N = 1500 };
    size_t cap = (size_t)N * 160 + 256, len = 0;
    char *xml = malloc(cap);
    struct kret ret;
    struct kconf k;
    struct arena a;
    struct got g;

    len += (size_t)snprintf(xml + len, cap - len,
                            "<child><person><ypid>YPK3002</ypid></person>"
                            "<offence><offenceId>1</offenceId>");
    for (int i = 0; i < N; i++)
        len += (size_t)snprintf(xml + len, cap - len,
                                "<offenceLegalOutcome><legalOutcome>L%d</legalOutcome>"
                                "</offenceLegalOutcome>",
                                i);
    len += (size_t)snprintf(xml + len, cap - len, "</offence>");
    for (int i = 0; i < N; i++)
        len += (size_t)snprintf(xml + len, cap - len,
                                "<eteStatus><hoursOffered>%d</hoursOffered></eteStatus>", i);
    snprintf(xml + len, cap - len, "</child>\n");
    walk(&ret, xml, &k, &a, &g);
    cr_assert_eq(g.c[0].noffences, 1);
    cr_assert_eq(g.c[0].offences[0].noutcomes, N);
    cr_assert_eq(g.c[0].netes, N);
    for (int i = 0; i < N; i++) {
        char want[16];
        snprintf(want, sizeof(want), "L%d", i);
        cr_assert_str_eq(g.c[0].offences[0].outcomes[i].legal, want);
        cr_assert_eq(g.c[0].offences[0].outcomes[i].pos, i + 1);
        cr_assert_eq(g.c[0].etes[i].pos, i + 1);
        cr_assert_eq(g.c[0].etes[i].hours_offered, i);
    }
    free(xml);
    done(&ret, &k, &a);
}

Test(kchild, an_unknown_element_is_skipped_with_all_it_holds)
{
    struct kret ret;
    struct kconf k;
    struct arena a;
    struct got g;

    walk(&ret,
         "<child><person><ypid>YPK3003</ypid>"
         "<unknown><ypid>NOT-THIS</ypid><dateOfBirth>1999-01-01</dateOfBirth></unknown>"
         "<dateOfBirth>2009-02-03</dateOfBirth></person>"
         "<extra><person><ypid>NOR-THIS</ypid></person><offence><offenceId>9</offenceId>"
         "</offence><residence/></extra>"
         "<offence><offenceId>1</offenceId><detail><offenceLegalOutcome><legalOutcome>X"
         "</legalOutcome></offenceLegalOutcome></detail></offence></child>\n"
         "<child><person><ypid>YPK3004</ypid></person></child>\n",
         &k, &a, &g);
    cr_assert_eq(g.n, 2);
    cr_assert_str_eq(g.c[0].ypid, "YPK3003");
    cr_assert_eq(g.c[0].dob, day("2009-02-03"));
    cr_assert_eq(g.c[0].noffences, 1);
    cr_assert_str_eq(g.c[0].offences[0].id, "1");
    cr_assert_eq(g.c[0].offences[0].noutcomes, 0);
    cr_assert_eq(g.c[0].nresidences, 0);
    cr_assert_str_eq(g.c[1].ypid, "YPK3004");
    done(&ret, &k, &a);
}

Test(kchild, text_is_the_character_data_directly_inside_the_field)
{
    struct kret ret;
    struct kconf k;
    struct arena a;
    struct got g;
    const struct koffence *o;

    walk(&ret,
         "<child><person><ypid>YP&amp;K<![CDATA[<30]]>&#48;5<!-- a comment -->X<?pi y?></ypid>"
         "</person>"
         "<offence><offenceId>  1  </offenceId><yjbOffenceCategory>\n  ROB<b>IGNORED</b>BERY\n"
         "</yjbOffenceCategory><yjbSeriousnessScore>5 </yjbSeriousnessScore>"
         "<ageOnArrestDate>15</ageOnArrestDate><ageOnArrestDate>16</ageOnArrestDate>"
         "</offence></child>\n",
         &k, &a, &g);
    cr_assert_str_eq(g.c[0].ypid, "YP&K<3005X");
    o = &g.c[0].offences[0];
    cr_assert_str_eq(o->id, "  1  ");
    cr_assert_str_eq(o->category, "\n  ROBBERY\n");
    /* a number followed by a space is not a number; the first of two elements counts */
    cr_assert_eq(o->score, -1);
    cr_assert_eq(o->age_arrest, 15);
    done(&ret, &k, &a);
}

Test(kchild, whitespace_libxml2_drops_between_elements_is_not_text)
{
    struct kret ret;
    struct kconf k;
    struct arena a;
    struct got g;

    /* whitespace before a comment in an element with no children yet, and after an element,
     * is dropped as the tree reader dropped it; whitespace alone in a field is its text */
    walk(&ret,
         "<child><person><ypid>  <!-- c --></ypid><dateOfBirth>  </dateOfBirth></person>"
         "<victimIntervention><victimInterventionId><x/>  </victimInterventionId>"
         "<victimId>A<x/> </victimId></victimIntervention></child>\n",
         &k, &a, &g);
    cr_assert_str_eq(g.c[0].ypid, "");
    cr_assert_eq(g.c[0].dob, DATE_NONE);
    cr_assert_str_eq(g.c[0].victims[0].id, "");
    cr_assert_str_eq(g.c[0].victims[0].victim_id, "A ");
    done(&ret, &k, &a);
}

Test(kchild, the_last_person_element_gives_ypid_and_date_of_birth)
{
    struct kret ret;
    struct kconf k;
    struct arena a;
    struct got g;

    walk(&ret,
         "<child><person><ypid>YPK3006</ypid><dateOfBirth>2009-01-01</dateOfBirth></person>"
         "<person><ypid>YPK3007</ypid></person></child>\n",
         &k, &a, &g);
    cr_assert_str_eq(g.c[0].ypid, "YPK3007");
    cr_assert_eq(g.c[0].dob, DATE_NONE);
    done(&ret, &k, &a);
}
