# This file is part of the coastal customer service project.
"""Satisfaction surveys of the customer centres: the half-yearly survey each
centre makes of its owners, and the yearly survey of a third-party agency,
imported from the agency's spreadsheet"""
import datetime as dt
import json
from collections import defaultdict

from property_register.access import ReadRulesMixin
from property_register.common import MAX_IDS, rec_name_bool_op
from property_register.phone import format_phone
from property_register.roster import RosterRowError as RowError
from sql import Cast, Literal
from sql.aggregate import Avg, Count, Sum
from sql.conditionals import Case

from trytond.i18n import gettext
from trytond.model import (
    Check,
    ModelSQL,
    ModelView,
    Unique,
    Workflow,
    fields,
    sequence_ordered,
)
from trytond.model.exceptions import AccessError
from trytond.pool import Pool
from trytond.pyson import Bool, Eval, If
from trytond.tools import grouped_slice
from trytond.transaction import Transaction
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .exceptions import SurveyError, SurveyImportError

# The labels of the call-backs' satisfaction, on a scale of 1 to 5
RATINGS = [
    ('1', "Very Dissatisfied"),
    ('2', "Dissatisfied"),
    ('3', "Fairly Satisfied"),
    ('4', "Satisfied"),
    ('5', "Very Satisfied"),
    ]
# Points of each step up the scale: 1 gives 0, 3 gives 50, 5 gives 100
POINTS_PER_STEP = 25
# The pass mark: an owner whose answers average no better than "fairly
# satisfied" (50) is not counted as satisfied
SATISFIED_SCORE = 60
SURVEY_STATES = [
    ('draft', "Draft"),
    ('open', "Open"),
    ('closed', "Closed"),
    ('cancelled', "Cancelled"),
    ]
# Responses are recorded, and imported, until the survey is closed
RECORDING_STATES = ['draft', 'open']
# Header texts of the agency's file that are not questions
COLUMNS = {
    'phone': ['phone', '电话'],
    'unit': ['unit', '房号'],
    'comment': ['comment', '意见'],
    'name': ['name', 'owner', '姓名', '业主'],
    }
# Records written per call
BATCH = 500


def half_year(date):
    "The first and last day of the half-year of date"
    if date.month <= 6:
        return dt.date(date.year, 1, 1), dt.date(date.year, 6, 30)
    return dt.date(date.year, 7, 1), dt.date(date.year, 12, 31)


def _normalize(text):
    return ' '.join(str(text or '').split())


def _column_key(text):
    text = _normalize(text).casefold()
    for key, names in COLUMNS.items():
        if text in names:
            return key


def read_sheet(data):
    """Return the header and the (row number, cell texts) of the rows below
    it, from the first sheet of an .xls file; the header is its first row
    that is not empty"""
    import xlrd
    from xlrd.compdoc import CompDocError
    try:
        book = xlrd.open_workbook(file_contents=data)
    except (xlrd.XLRDError, CompDocError) as exception:
        raise SurveyImportError(gettext(
                'service_supervision.msg_survey_import_unreadable',
                error=str(exception)))
    sheet = book.sheet_by_index(0)
    header, rows = None, []
    for index in range(sheet.nrows):
        cells = [_cell(v) for v in sheet.row_values(index)]
        if not any(cells):
            continue
        if header is None:
            header = cells
        else:
            rows.append((index + 1, cells))
    return header or [], rows


def _cell(value):
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _normalize(value)


class Survey(ReadRulesMixin, Workflow, ModelSQL, ModelView):
    __string__ = "Satisfaction Survey"
    __name__ = 'service_center.survey'
    _states = {
        'readonly': Eval('state') != 'draft',
        }

    name = fields.Char("Name", required=True, states=_states)
    center = fields.Many2One(
        'service_center.center', "Customer Centre", required=True,
        ondelete='RESTRICT', states=_states)
    kind = fields.Selection([
            ('half_yearly', "Half-Yearly Survey by the Centre"),
            ('third_party', "Yearly Third-Party Survey"),
            ], "Kind", required=True, states=_states)
    kind_string = kind.translated('kind')
    agency = fields.Char(
        "Agency", states={
            'readonly': _states['readonly'],
            'invisible': Eval('kind') != 'third_party',
            },
        help="The independent firm that made the survey.")
    from_date = fields.Date(
        "From Date", required=True, states=_states,
        help="The first day of the period the owners are asked about.")
    to_date = fields.Date(
        "To Date", required=True, states=_states,
        domain=[
            If(Bool(Eval('from_date')),
                ('to_date', '>=', Eval('from_date')),
                ()),
            ])
    questions = fields.One2Many(
        'service_center.survey.question', 'survey', "Questions",
        states=_states,
        help="Fixed once the survey is open.")
    responses = fields.One2Many(
        'service_center.survey.response', 'survey', "Responses",
        states={
            'readonly': ~Eval('state').in_(RECORDING_STATES),
            })
    import_errors = fields.One2Many(
        'service_center.survey.import.error', 'survey',
        "Rows Refused at Import", readonly=True,
        states={
            'invisible': Eval('kind') != 'third_party',
            },
        help="The rows of the last file imported that were not imported.")
    response_count = fields.Function(
        fields.Integer("Number of Responses"), 'get_figures')
    score = fields.Function(
        fields.Float(
            "Score", digits=(16, 1),
            help="The mean of the responses' scores, from 0 (very "
            "dissatisfied with everything) to 100 (very satisfied with "
            "everything)."),
        'get_figures')
    satisfaction_rate = fields.Function(
        fields.Float(
            "Satisfaction Rate", digits=(1, 4),
            help="The share of the responses scoring 60 or more: owners "
            "whose answers average better than fairly satisfied (50); "
            "satisfied with everything is 75. Responses without answers "
            "are not counted."),
        'get_figures')
    state = fields.Selection(
        SURVEY_STATES, "State", readonly=True, required=True, sort=False)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('center')
        cls._order = [('from_date', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'open'),
            ('open', 'closed'),
            ('draft', 'cancelled'),
            ('open', 'cancelled'),
            }
        cls._buttons.update({
                'open': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'close': {
                    'invisible': Eval('state') != 'open',
                    'depends': ['state'],
                    },
                'cancel': {
                    'invisible': ~Eval('state').in_(RECORDING_STATES),
                    'depends': ['state'],
                    },
                'import_results': {
                    'invisible': ((Eval('kind') != 'third_party')
                        | ~Eval('state').in_(RECORDING_STATES)),
                    'depends': ['kind', 'state'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def default_kind(cls):
        return 'half_yearly'

    @classmethod
    def default_from_date(cls):
        return half_year(Pool().get('ir.date').today())[0]

    @classmethod
    def default_to_date(cls):
        return half_year(Pool().get('ir.date').today())[1]

    @classmethod
    def default_center(cls):
        "The user's centre, when there is only one"
        User = Pool().get('res.user')
        centers = User.get_service_scope()['centers']
        if len(centers) == 1:
            return centers[0]

    @fields.depends('kind', 'from_date')
    def on_change_kind(self):
        "A centre surveys a half-year, the agency a calendar year"
        date = self.from_date or Pool().get('ir.date').today()
        if self.kind == 'third_party':
            self.from_date = dt.date(date.year, 1, 1)
            self.to_date = dt.date(date.year, 12, 31)
        else:
            self.from_date, self.to_date = half_year(date)

    @classmethod
    def get_figures(cls, surveys, names):
        pool = Pool()
        Response = pool.get('service_center.survey.response')
        response = Response.__table__()
        cursor = Transaction().connection.cursor()
        result = {n: {s.id: None for s in surveys} for n in names}
        if 'response_count' in result:
            result['response_count'] = {s.id: 0 for s in surveys}
        for sub in grouped_slice([s.id for s in surveys], MAX_IDS):
            sub = list(sub)
            scores = Response.score_query(surveys=sub)
            cursor.execute(*response.join(scores, 'LEFT',
                    condition=scores.response == response.id).select(
                    response.survey,
                    Count(response.id),
                    Avg(scores.score),
                    Sum(Case((scores.score >= SATISFIED_SCORE, 1), else_=0)),
                    Count(scores.score),
                    where=fields.SQL_OPERATORS['in'](response.survey, sub),
                    group_by=[response.survey]))
            for survey, count, score, satisfied, scored in cursor:
                values = {
                    'response_count': count,
                    'score': round(float(score), 1) if scored else None,
                    'satisfaction_rate': (
                        round(int(satisfied) / scored, 4)
                        if scored else None),
                    }
                for name in names:
                    result[name][survey] = values[name]
        return result

    @classmethod
    def check_modification(cls, mode, surveys, values=None, external=False):
        super().check_modification(
            mode, surveys, values=values, external=external)
        if mode == 'delete':
            for survey in surveys:
                if survey.state != 'draft':
                    raise AccessError(gettext(
                            'service_supervision.msg_survey_delete_draft',
                            survey=survey.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('open')
    def open(cls, surveys):
        for survey in surveys:
            if survey.kind == 'half_yearly' and not survey.questions:
                raise SurveyError(gettext(
                        'service_supervision.msg_survey_no_questions',
                        survey=survey.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('closed')
    def close(cls, surveys):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, surveys):
        pass

    @classmethod
    @ModelView.button_action('service_supervision.wizard_survey_import')
    def import_results(cls, surveys):
        pass

    def import_file(self, data):
        """Import the agency's results from an .xls file and return the
        numbers of responses created, updated and unchanged, and the rows
        refused. An owner's response is updated to what the file says, so
        importing the same file again changes nothing."""
        if (self.kind != 'third_party'
                or self.state not in RECORDING_STATES):
            raise SurveyImportError(gettext(
                    'service_supervision.msg_survey_import_state',
                    survey=self.rec_name))
        return _SurveyImport(self).run(data)


class Question(ReadRulesMixin, sequence_ordered(), ModelSQL, ModelView):
    __string__ = "Survey Question"
    __name__ = 'service_center.survey.question'
    _rec_name = 'text'

    survey = fields.Many2One(
        'service_center.survey', "Survey", required=True,
        ondelete='CASCADE')
    text = fields.Char("Question", required=True)
    weight = fields.Float(
        "Weight", required=True, digits=(16, 2),
        help="How much the question counts in a response's score.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('survey')
        t = cls.__table__()
        cls._sql_constraints = [
            ('weight_positive', Check(t, t.weight > 0),
                'service_supervision.msg_survey_question_weight'),
            ('survey_text_unique', Unique(t, t.survey, t.text),
                'service_supervision.msg_survey_question_unique'),
            ]

    @classmethod
    def default_weight(cls):
        return 1

    @classmethod
    def check_modification(cls, mode, questions, values=None, external=False):
        pool = Pool()
        Survey = pool.get('service_center.survey')
        super().check_modification(
            mode, questions, values=values, external=external)
        # The import gives the questions of a survey that has none
        if Transaction().context.get('_survey_import'):
            return
        surveys = {q.survey for q in questions}
        if values and values.get('survey'):
            surveys.add(Survey(values['survey']))
        for survey in surveys:
            if survey.state != 'draft':
                raise AccessError(gettext(
                        'service_supervision.msg_survey_question_frozen',
                        survey=survey.rec_name))


class Response(ReadRulesMixin, ModelSQL, ModelView):
    __string__ = "Survey Response"
    __name__ = 'service_center.survey.response'
    _states = {
        'readonly': ~Eval('survey_state').in_(RECORDING_STATES),
        }

    survey = fields.Many2One(
        'service_center.survey', "Survey", required=True,
        ondelete='CASCADE', states=_states)
    survey_state = fields.Function(
        fields.Selection(SURVEY_STATES, "Survey State"),
        'on_change_with_survey_state')
    party = fields.Many2One(
        'party.party', "Owner", required=True, ondelete='RESTRICT',
        states=_states)
    unit = fields.Many2One(
        'service_center.unit', "Unit", ondelete='RESTRICT',
        domain=[
            If(Bool(Eval('party')),
                ('owners.id', '=', Eval('party', -1)),
                ()),
            ],
        states=_states)
    date = fields.Date("Date", states=_states)
    answers = fields.One2Many(
        'service_center.survey.answer', 'response', "Answers",
        states=_states)
    comment = fields.Text("Comment", states=_states)
    score = fields.Function(
        fields.Float(
            "Score", digits=(16, 1),
            help="The answers' mean weighted by their questions: very "
            "dissatisfied is 0, dissatisfied 25, fairly satisfied 50, "
            "satisfied 75, very satisfied 100."),
        'get_score')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('survey')
        t = cls.__table__()
        cls._sql_constraints = [
            ('survey_party_unique', Unique(t, t.survey, t.party),
                'service_supervision.msg_survey_response_unique'),
            ]
        cls._order = [('survey', 'DESC'), ('id', 'ASC')]

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    @fields.depends('survey', '_parent_survey.state')
    def on_change_with_survey_state(self, name=None):
        if self.survey:
            return self.survey.state

    @fields.depends('party', 'unit')
    def on_change_party(self):
        units = list(getattr(self.party, 'units', None) or [])
        if self.unit not in units:
            self.unit = units[0] if len(units) == 1 else None

    def get_rec_name(self, name):
        return '%s - %s' % (self.survey.rec_name, self.party.rec_name)

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        return [rec_name_bool_op(operator),
            ('survey.rec_name', operator, operand, *extra),
            ('party.rec_name', operator, operand, *extra),
            ]

    @classmethod
    def score_query(cls, surveys=None, responses=None):
        """Return the query of the score of each response with answers, of
        the surveys or the responses given"""
        pool = Pool()
        Answer = pool.get('service_center.survey.answer')
        Question = pool.get('service_center.survey.question')
        answer = Answer.__table__()
        question = Question.__table__()
        response = cls.__table__()
        points = (Cast(answer.rating, 'INTEGER') - 1) * POINTS_PER_STEP
        where = Literal(True)
        if surveys is not None:
            where &= fields.SQL_OPERATORS['in'](response.survey, surveys)
        if responses is not None:
            where &= fields.SQL_OPERATORS['in'](response.id, responses)
        return answer.join(question,
            condition=answer.question == question.id).join(response,
            condition=answer.response == response.id).select(
            answer.response.as_('response'),
            (Sum(points * question.weight)
                / Sum(question.weight)).as_('score'),
            where=where,
            group_by=[answer.response])

    @classmethod
    def get_score(cls, responses, name):
        cursor = Transaction().connection.cursor()
        scores = {r.id: None for r in responses}
        for sub in grouped_slice(list(scores), MAX_IDS):
            cursor.execute(*cls.score_query(responses=list(sub)))
            for response, score in cursor:
                scores[response] = round(float(score), 1)
        return scores

    @classmethod
    def check_modification(cls, mode, responses, values=None, external=False):
        pool = Pool()
        Survey = pool.get('service_center.survey')
        super().check_modification(
            mode, responses, values=values, external=external)
        surveys = {r.survey for r in responses}
        if values and values.get('survey'):
            surveys.add(Survey(values['survey']))
        check_recording(surveys)


def check_recording(surveys):
    "Responses are recorded until the survey is closed or cancelled"
    for survey in surveys:
        if survey.state not in RECORDING_STATES:
            raise AccessError(gettext(
                    'service_supervision.msg_survey_response_closed',
                    survey=survey.rec_name))


class Answer(ReadRulesMixin, ModelSQL, ModelView):
    __string__ = "Survey Answer"
    __name__ = 'service_center.survey.answer'
    _states = {
        'readonly': ~Eval('survey_state').in_(RECORDING_STATES),
        }

    response = fields.Many2One(
        'service_center.survey.response', "Response", required=True,
        ondelete='CASCADE', states=_states)
    survey = fields.Function(
        fields.Many2One('service_center.survey', "Survey"),
        'on_change_with_survey')
    survey_state = fields.Function(
        fields.Selection(SURVEY_STATES, "Survey State"),
        'on_change_with_survey_state')
    question = fields.Many2One(
        'service_center.survey.question', "Question", required=True,
        ondelete='CASCADE', states=_states,
        domain=[
            ('survey', '=', Eval('survey', -1)),
            ])
    rating = fields.Selection(
        RATINGS, "Rating", required=True, sort=False, states=_states)
    comment = fields.Char("Comment", states=_states)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('response')
        t = cls.__table__()
        cls._sql_constraints = [
            ('response_question_unique',
                Unique(t, t.response, t.question),
                'service_supervision.msg_survey_answer_unique'),
            ]
        cls._order = [
            ('response', 'ASC'), ('question', 'ASC'), ('id', 'ASC')]

    @fields.depends('response', '_parent_response.survey')
    def on_change_with_survey(self, name=None):
        if self.response:
            return self.response.survey

    @fields.depends('response', '_parent_response.survey')
    def on_change_with_survey_state(self, name=None):
        if self.response and self.response.survey:
            return self.response.survey.state

    def get_rec_name(self, name):
        return '%s: %s' % (self.question.rec_name, self.rating)

    @classmethod
    def check_modification(cls, mode, answers, values=None, external=False):
        pool = Pool()
        Response = pool.get('service_center.survey.response')
        super().check_modification(
            mode, answers, values=values, external=external)
        surveys = {a.response.survey for a in answers}
        if values and values.get('response'):
            surveys.add(Response(values['response']).survey)
        check_recording(surveys)


class RefusedRow(ReadRulesMixin, ModelSQL, ModelView):
    __string__ = "Survey Import Error"
    __name__ = 'service_center.survey.import.error'
    survey = fields.Many2One(
        'service_center.survey', "Survey", required=True,
        ondelete='CASCADE', readonly=True)
    row = fields.Integer("Row", readonly=True)
    message = fields.Char("Message", readonly=True)
    values = fields.Text("Values", readonly=True)
    reason = fields.Function(fields.Char("Reason"), 'get_reason')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('survey')
        cls._order = [('survey', 'DESC'), ('row', 'ASC'), ('id', 'ASC')]

    def get_reason(self, name):
        "The reason in the reader's language"
        return gettext(self.message, **json.loads(self.values or '{}'))


class _Line:
    "One row of the agency's file, cleaned"
    __slots__ = (
        'number', 'phone', 'code', 'comment', 'ratings', 'party', 'unit')


class _SurveyImport:
    "One import of the agency's file into a survey"

    def __init__(self, survey):
        pool = Pool()
        self.survey = survey
        self.Question = pool.get('service_center.survey.question')
        self.Response = pool.get('service_center.survey.response')
        self.Answer = pool.get('service_center.survey.answer')
        self.Error = pool.get('service_center.survey.import.error')
        self.projects = [p.id for p in survey.center.projects]
        self.errors = []
        self.counts = {'created': 0, 'updated': 0, 'unchanged': 0}

    def run(self, data):
        header, rows = read_sheet(data)
        columns = self._columns(header)
        lines = []
        for number, cells in rows:
            try:
                lines.append(self._clean(number, cells, columns))
            except RowError as error:
                self.errors.append((number, error))
        lines = self._match(lines)
        self._write(lines)
        errors = self._save_errors()
        return dict(self.counts, errors=errors)

    def _columns(self, header):
        "Return what each column holds: a key of COLUMNS or a question"
        columns, texts = {}, []
        for index, text in enumerate(header):
            key = _column_key(text)
            if key:
                columns[index] = key
            elif text:
                texts.append((index, text))
        if not {'phone', 'unit'} & set(columns.values()):
            raise SurveyImportError(gettext(
                    'service_supervision.msg_survey_import_no_owner_column'))
        if not texts:
            raise SurveyImportError(gettext(
                    'service_supervision.msg_survey_import_no_question'))
        questions = self._questions([t for _, t in texts])
        self.questions = {q.id for q in questions}
        for (index, _), question in zip(texts, questions):
            columns[index] = question
        return columns

    def _questions(self, texts):
        "Return the question of each header, created if the survey has none"
        keys = [t.casefold() for t in texts]
        for text, key in zip(texts, keys):
            if keys.count(key) > 1:
                raise SurveyImportError(gettext(
                        'service_supervision.msg_survey_import_duplicate_question',
                        question=text))
        if not self.survey.questions:
            with Transaction().set_context(_survey_import=True):
                return self.Question.create([{
                            'survey': self.survey.id,
                            'sequence': (i + 1) * 10,
                            'text': text,
                            } for i, text in enumerate(texts)])
        known = {_normalize(q.text).casefold(): q
            for q in self.survey.questions}
        for text, key in zip(texts, keys):
            if key not in known:
                raise SurveyImportError(gettext(
                        'service_supervision.msg_survey_import_unknown_question',
                        question=text, survey=self.survey.rec_name))
        return [known[k] for k in keys]

    def _clean(self, number, cells, columns):
        line = _Line()
        line.number = number
        line.phone = line.code = line.comment = None
        line.ratings = {}
        line.party = line.unit = None
        for index, value in enumerate(cells):
            column = columns.get(index)
            if column is None or column == 'name' or not value:
                continue
            if column == 'phone':
                line.phone = format_phone(value)
                if not line.phone:
                    raise RowError(
                        'service_supervision.msg_survey_import_bad_phone',
                        phone=value)
            elif column == 'unit':
                line.code = value
            elif column == 'comment':
                line.comment = value
            elif value in dict(RATINGS):
                line.ratings[column.id] = value
            else:
                raise RowError(
                    'service_supervision.msg_survey_import_bad_rating',
                    rating=value, question=column.text)
        if not line.phone and not line.code:
            raise RowError('service_supervision.msg_survey_import_no_owner')
        if not line.ratings:
            raise RowError('service_supervision.msg_survey_import_no_rating')
        return line

    def _match(self, lines):
        "Find the owner and unit of each line; return the lines found"
        Party = Pool().get('party.party')
        by_phone = Party.party_ids_by_phone(
            {line.phone for line in lines} - {None})
        by_code = self._units_by_code(
            {line.code for line in lines} - {None})
        ownerships = self._ownerships(
            {u for ids in by_code.values() for u in ids},
            {p for ids in by_phone.values() for p in ids})
        owners, units = defaultdict(set), defaultdict(set)
        for unit, party in ownerships:
            owners[unit].add(party)
            units[party].add(unit)
        found, seen = [], {}
        for line in lines:
            try:
                self._find_owner(line, by_phone, by_code, owners, units)
                if line.party in seen:
                    raise RowError(
                        'service_supervision.msg_survey_import_duplicate_owner',
                        row=seen[line.party])
            except RowError as error:
                self.errors.append((line.number, error))
                continue
            seen[line.party] = line.number
            found.append(line)
        return found

    def _find_owner(self, line, by_phone, by_code, owners, units):
        phone_parties = by_phone.get(line.phone, set())
        if line.code:
            unit_ids = by_code.get(line.code, [])
            if len(unit_ids) != 1:
                raise RowError(
                    'service_supervision.msg_survey_import_unknown_unit'
                    if not unit_ids else
                    'service_supervision.msg_survey_import_ambiguous_unit',
                    unit=line.code)
            line.unit, = unit_ids
            parties = owners[line.unit]
            if line.phone:
                parties = parties & phone_parties
                if not parties:
                    raise RowError(
                        'service_supervision.msg_survey_import_phone_not_owner',
                        phone=line.phone, unit=line.code)
            elif not parties:
                raise RowError(
                    'service_supervision.msg_survey_import_unit_no_owner',
                    unit=line.code)
        else:
            parties = {p for p in phone_parties if units[p]}
            if not parties:
                raise RowError(
                    'service_supervision.msg_survey_import_unknown_phone',
                    phone=line.phone)
        if len(parties) > 1:
            raise RowError(
                'service_supervision.msg_survey_import_ambiguous_owner',
                phone=line.phone or '', unit=line.code or '')
        line.party, = parties
        if not line.unit and len(units[line.party]) == 1:
            line.unit, = units[line.party]

    def _units_by_code(self, codes):
        "Return the ids of the centre's units of each code"
        Unit = Pool().get('service_center.unit')
        units = defaultdict(list)
        for sub in grouped_slice(sorted(codes), MAX_IDS):
            for row in Unit.search_read([
                        ('code', 'in', list(sub)),
                        ('project', 'in', self.projects),
                        ], order=[('id', 'ASC')], fields_names=['code']):
                units[row['code']].append(row['id'])
        return units

    def _ownerships(self, unit_ids, party_ids):
        "Return the current (unit, owner) of the units and of the parties"
        pool = Pool()
        Ownership = pool.get('service_center.ownership')
        Unit = pool.get('service_center.unit')
        pairs = set()
        for field, ids in [('unit', unit_ids), ('party', party_ids)]:
            for sub in grouped_slice(sorted(ids), MAX_IDS):
                for row in Ownership.search_read([
                            (field, 'in', list(sub)),
                            ('unit.project', 'in', self.projects),
                            Unit._current_ownership_domain(),
                            ], order=[], fields_names=['unit', 'party']):
                    pairs.add((row['unit'], row['party']))
        return pairs

    def _write(self, lines):
        "Create the new owners' responses, update the others'"
        pool = Pool()
        Date = pool.get('ir.date')
        existing = {}
        parties = sorted({line.party for line in lines})
        for sub in grouped_slice(parties, MAX_IDS):
            for response in self.Response.search([
                        ('survey', '=', self.survey.id),
                        ('party', 'in', list(sub)),
                        ]):
                existing[response.party.id] = response
        to_create = []
        changes = _AnswerChanges(self.questions)
        for line in lines:
            response = existing.get(line.party)
            if response is None:
                to_create.append({
                        'survey': self.survey.id,
                        'party': line.party,
                        'unit': line.unit,
                        'date': Date.today(),
                        'comment': line.comment,
                        'answers': [('create', [
                                    {'question': q, 'rating': r}
                                    for q, r in line.ratings.items()])],
                        })
            elif changes.add(response, line):
                self.counts['updated'] += 1
            else:
                self.counts['unchanged'] += 1
        for i in range(0, len(to_create), BATCH):
            self.Response.create(to_create[i:i + BATCH])
        self.counts['created'] = len(to_create)
        changes.save()

    def _save_errors(self):
        "Replace the errors of the survey's last import by these"
        self.Error.delete(self.Error.search([
                    ('survey', '=', self.survey.id),
                    ]))
        return self.Error.create([{
                    'survey': self.survey.id,
                    'row': number,
                    'message': error.message,
                    'values': json.dumps(error.values, ensure_ascii=False),
                    } for number, error in sorted(
                    self.errors, key=lambda e: e[0])])


class _AnswerChanges:
    "What an import changes in the responses already there"

    def __init__(self, questions):
        pool = Pool()
        self.questions = questions
        self.Response = pool.get('service_center.survey.response')
        self.Answer = pool.get('service_center.survey.answer')
        self.responses, self.to_create, self.to_delete = [], [], []
        self.to_write = []

    def add(self, response, line):
        "Make the response say what the line says; return if it changes"
        current = {a.question.id: a for a in response.answers}
        values = {}
        if line.unit and line.unit != (
                response.unit.id if response.unit else None):
            values['unit'] = line.unit
        if line.comment and response.comment != line.comment:
            values['comment'] = line.comment
        if values:
            self.responses.extend(([response], values))
        changed = bool(values)
        for question, rating in line.ratings.items():
            answer = current.pop(question, None)
            if answer is None:
                self.to_create.append({
                        'response': response.id, 'question': question,
                        'rating': rating})
                changed = True
            elif answer.rating != rating:
                self.to_write.extend(([answer], {'rating': rating}))
                changed = True
        # A blank cell of the file's questions takes the answer back
        blank = [a for q, a in current.items() if q in self.questions]
        self.to_delete.extend(blank)
        return changed or bool(blank)

    def save(self):
        if self.responses:
            self.Response.write(*self.responses)
        if self.to_delete:
            self.Answer.delete(self.to_delete)
        if self.to_write:
            self.Answer.write(*self.to_write)
        for i in range(0, len(self.to_create), BATCH):
            self.Answer.create(self.to_create[i:i + BATCH])


class SurveyImportStart(ModelView):
    __string__ = "Import Survey Results"
    __name__ = 'service_center.survey.import.start'
    file = fields.Binary(
        "File", required=True, filename='filename',
        help="The agency's .xls file: a header row, then one row per owner.")
    filename = fields.Char("File Name")


class SurveyImportResult(ModelView):
    __string__ = "Survey Import Result"
    __name__ = 'service_center.survey.import.result'
    created = fields.Integer("Responses Created", readonly=True)
    updated = fields.Integer("Responses Updated", readonly=True)
    unchanged = fields.Integer("Responses Unchanged", readonly=True)
    refused = fields.Integer("Rows Refused", readonly=True)
    errors = fields.Many2Many(
        'service_center.survey.import.error', None, None, "Rows Refused",
        readonly=True)


class SurveyImport(Wizard):
    "Import Survey Results"
    __name__ = 'service_center.survey.import'
    start = StateView(
        'service_center.survey.import.start',
        'service_supervision.survey_import_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Import", 'import_', 'tryton-import', default=True),
            ])
    import_ = StateTransition()
    result = StateView(
        'service_center.survey.import.result',
        'service_supervision.survey_import_result_view_form', [
            Button("Close", 'end', 'tryton-close', default=True),
            ])

    def transition_import_(self):
        result = self.record.import_file(self.start.file)
        self.result.created = result['created']
        self.result.updated = result['updated']
        self.result.unchanged = result['unchanged']
        self.result.refused = len(result['errors'])
        self.result.errors = [e.id for e in result['errors']]
        return 'result'

    def default_result(self, fields):
        return {
            'created': self.result.created,
            'updated': self.result.updated,
            'unchanged': self.result.unchanged,
            'refused': self.result.refused,
            'errors': [e.id for e in self.result.errors],
            }
