# This file is part of the coastal customer service project.
"""The satisfaction surveys: scores counted by hand from weights and
ratings, the rules that keep a survey honest once it is open, and the
import of the third-party survey's spreadsheet"""
import io

from service_center.tests.test_request import RequestFixtures

from trytond.model.exceptions import AccessError, SQLConstraintError
from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests import test_tryton
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction

from ..exceptions import SurveyError, SurveyImportError

# The owners' mobile numbers, one per owner of the fixtures
PHONES = ['1391234567%d' % i for i in range(5)]
QUESTIONS = ["Front desk", "Repairs"]


def xls(rows):
    "Return the .xls file of the rows, the first being the header"
    import xlwt
    book = xlwt.Workbook(encoding='utf-8')
    sheet = book.add_sheet('调查结果')
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


def points(rating):
    "A rating on the 0-100 scale, counted by hand"
    return {1: 0, 2: 25, 3: 50, 4: 75, 5: 100}[rating]


def weighted(ratings, weights):
    return (sum(points(r) * w for r, w in zip(ratings, weights))
        / sum(weights))


class SurveyTestCase(RequestFixtures, test_tryton._DBTestCase):
    "Test the satisfaction surveys"
    module = 'service_supervision'

    def _setup(self, company):
        "The register of the fixtures, each owner with a mobile number"
        ContactMechanism = Pool().get('party.contact_mechanism')
        people, units, owners, _ = self._register(company)
        ContactMechanism.create([{
                    'party': o.id, 'type': 'mobile', 'value': p}
                for o, p in zip(owners, PHONES)])
        return people, units, owners

    def _survey(self, kind='half_yearly', weights=(2, 1)):
        pool = Pool()
        Survey = pool.get('service_center.survey')
        Center = pool.get('service_center.center')
        center, = Center.search([('code', '=', 'C')])
        survey, = Survey.create([{
                    'name': "2026 H2", 'center': center.id, 'kind': kind,
                    'questions': [('create', [
                                {'text': t, 'weight': w, 'sequence': i}
                                for i, (t, w) in enumerate(
                                    zip(QUESTIONS, weights))])],
                    }])
        return survey

    def _respond(self, survey, owner, unit, ratings):
        Response = Pool().get('service_center.survey.response')
        response, = Response.create([{
                    'survey': survey.id, 'party': owner.id,
                    'unit': unit.id if unit else None,
                    'answers': [('create', [
                                {'question': q.id, 'rating': str(r)}
                                for q, r in zip(survey.questions, ratings)])],
                    }])
        return response

    @with_transaction()
    def test_score(self):
        "A response weighs its answers, the survey averages its responses"
        pool = Pool()
        Survey = pool.get('service_center.survey')
        company = create_company()
        with set_company(company):
            _, units, owners = self._setup(company)
            survey = self._survey(weights=(2, 1))
            Survey.open([survey])
            answers = [(5, 2), (3, 4), (4, 4)]
            responses = [self._respond(survey, o, u, r)
                for o, u, r in zip(owners, units, answers)]
            # Reached but answering nothing: counted, not scored
            self._respond(survey, owners[3], units[3], [])

            expected = [weighted(r, (2, 1)) for r in answers]
            self.assertEqual(expected, [75, 175 / 3, 75])
            # Shown to one decimal
            for response, score in zip(responses, expected):
                self.assertEqual(response.score, round(score, 1))
            survey = Survey(survey.id)
            self.assertEqual(survey.response_count, 4)
            self.assertEqual(survey.score, round(sum(expected) / 3, 1))
            # 58.3 is below the pass mark of 60
            self.assertEqual(survey.satisfaction_rate, round(2 / 3, 4))

            empty = self._survey()
            self.assertEqual(
                (empty.response_count, empty.score, empty.satisfaction_rate),
                (0, None, None))

    @with_transaction()
    def test_one_response_per_owner(self):
        "An owner answers a survey once"
        Survey = Pool().get('service_center.survey')
        company = create_company()
        with set_company(company):
            _, units, owners = self._setup(company)
            survey = self._survey()
            Survey.open([survey])
            self._respond(survey, owners[0], units[0], [5, 5])
            with self.assertRaises(SQLConstraintError):
                self._respond(survey, owners[0], None, [1, 1])

    @with_transaction()
    def test_questions_frozen(self):
        "Once open, the questions stay as the owners were asked them"
        pool = Pool()
        Survey = pool.get('service_center.survey')
        Question = pool.get('service_center.survey.question')
        company = create_company()
        with set_company(company):
            self._setup(company)
            empty, = Survey.create([{
                        'name': "No questions",
                        'center': self._survey().center.id}])
            with self.assertRaises(SurveyError):
                Survey.open([empty])

            survey = self._survey()
            question = survey.questions[0]
            question.weight = 3
            question.save()
            Survey.open([survey])
            with self.assertRaises(AccessError):
                Question.write([question], {'weight': 5})
            with self.assertRaises(AccessError):
                Question.create([{'survey': survey.id, 'text': "Lifts"}])
            with self.assertRaises(AccessError):
                Question.delete([question])
            self.assertEqual(Question(question.id).weight, 3)

    @with_transaction()
    def test_delete_and_close(self):
        """A draft is deleted, an opened survey only cancelled; a closed
        survey's responses are final"""
        pool = Pool()
        Survey = pool.get('service_center.survey')
        Response = pool.get('service_center.survey.response')
        company = create_company()
        with set_company(company):
            _, units, owners = self._setup(company)
            draft = self._survey()
            Survey.delete([draft])

            survey = self._survey()
            Survey.open([survey])
            response = self._respond(survey, owners[0], units[0], [4, 4])
            with self.assertRaises(AccessError):
                Survey.delete([survey])
            Survey.close([survey])
            with self.assertRaises(AccessError):
                Response.write([response], {'comment': "Changed my mind"})
            with self.assertRaises(AccessError):
                self._respond(survey, owners[1], units[1], [1, 1])

            cancelled = self._survey()
            Survey.open([cancelled])
            Survey.cancel([cancelled])
            with self.assertRaises(AccessError):
                Survey.delete([cancelled])
            self.assertEqual(
                len(Survey.search([('id', 'in', [survey.id, cancelled.id])])),
                2)

    @with_transaction()
    def test_import(self):
        """Rows found by phone or unit are imported, the others listed with
        their row number; a second import duplicates nothing"""
        pool = Pool()
        Survey = pool.get('service_center.survey')
        Response = pool.get('service_center.survey.response')
        company = create_company()
        with set_company(company):
            _, units, owners = self._setup(company)
            survey, = Survey.create([{
                        'name': "2026 Third-Party Survey",
                        'center': self._survey().center.id,
                        'kind': 'third_party', 'agency': "Insight Polls"}])
            rows = [
                ['电话', '房号', '姓名'] + QUESTIONS,
                # Phone as a number, as spreadsheets keep it
                [int(PHONES[0]), '1-101', 'Owner 0', 5, 4],
                # Phone written otherwise, no unit
                ['139-1234-5671', '', 'Owner 1', 3, 3],
                # Unit only
                ['', '1-103', 'Owner 2', 4, 2],
                # A number nobody has
                ['13700000000', '', 'Stranger', 5, 5],
                # A rating off the scale
                [PHONES[3], '1-104', 'Owner 3', 7, 5],
                ]
            data = xls(rows)
            result = survey.import_file(data)

            self.assertEqual(
                (result['created'], result['updated'], result['unchanged']),
                (3, 0, 0))
            self.assertEqual(
                [(e.row, e.message) for e in result['errors']], [
                    (5, 'service_supervision.msg_survey_import_unknown_phone'),
                    (6, 'service_supervision.msg_survey_import_bad_rating'),
                    ])
            self.assertIn('+8613700000000', result['errors'][0].reason)
            self.assertIn('"7"', result['errors'][1].reason)

            survey = Survey(survey.id)
            self.assertEqual(
                [(q.text, q.weight) for q in survey.questions],
                [(QUESTIONS[0], 1), (QUESTIONS[1], 1)])
            scores = {r.party: (r.unit, r.score) for r in survey.responses}
            expected = {
                owners[0]: (units[0], weighted((5, 4), (1, 1))),
                owners[1]: (units[1], weighted((3, 3), (1, 1))),
                owners[2]: (units[2], weighted((4, 2), (1, 1))),
                }
            self.assertEqual(scores, expected)
            self.assertEqual([s for _, s in expected.values()], [87.5, 50, 50])
            self.assertAlmostEqual(survey.score, 187.5 / 3)
            self.assertEqual(len(survey.import_errors), 2)

            again = survey.import_file(data)
            self.assertEqual(
                (again['created'], again['updated'], again['unchanged']),
                (0, 0, 3))
            self.assertEqual(
                Response.search_count([('survey', '=', survey.id)]), 3)
            self.assertEqual(len(Survey(survey.id).import_errors), 2)

            # The agency corrects a rating: the response follows the file
            rows[1][3] = 4
            corrected = survey.import_file(xls(rows))
            self.assertEqual(
                (corrected['created'], corrected['updated']), (0, 1))
            response, = Response.search([
                    ('survey', '=', survey.id), ('party', '=', owners[0].id)])
            self.assertAlmostEqual(response.score, 75)

            # Headers must be the survey's questions
            with self.assertRaises(SurveyImportError):
                survey.import_file(xls([['电话', "Parking"], [PHONES[0], 5]]))
            with self.assertRaises(SurveyImportError):
                survey.import_file(b'not a spreadsheet')
            # Only third-party surveys are imported
            with self.assertRaises(SurveyImportError):
                self._survey().import_file(data)

    @with_transaction()
    def test_centre_scope(self):
        "A receptionist sees her own centre's surveys, not another's"
        pool = Pool()
        Survey = pool.get('service_center.survey')
        Response = pool.get('service_center.survey.response')
        Center = pool.get('service_center.center')
        User = pool.get('res.user')
        ModelData = pool.get('ir.model.data')
        company = create_company()
        with set_company(company):
            _, units, owners = self._setup(company)
            survey = self._survey()
            Survey.open([survey])
            self._respond(survey, owners[0], units[0], [4, 5])
            group = ModelData.get_id('service_center', 'group_receptionist')
            anna, rita = User.create([{
                        'login': login, 'name': login.title(),
                        'groups': [('add', [group])],
                        } for login in ['anna', 'rita']])
            Center.write([survey.center], {
                    'receptionists': [('create', [{
                                    'user': anna.id, 'shift': 'morning'}])],
                    })
            Center.create([{
                        'name': "Hill Centre", 'code': 'H',
                        'region': survey.center.region.id,
                        'receptionists': [('create', [{
                                        'user': rita.id,
                                        'shift': 'morning'}])],
                        }])

            for user, seen in [(anna, [survey]), (rita, [])]:
                with Transaction().set_user(user.id), \
                        Transaction().set_context(_check_access=True):
                    self.assertEqual(Survey.search([]), seen)
                    self.assertEqual(
                        len(Response.search([])), len(seen))
