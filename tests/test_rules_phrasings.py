"""The duty-question classifier: phrasings (Chinese, English, colloquial, with typos) mapped to the right
activity and verdict, each measure's differences, what it must not claim, ambiguity, follow-ups, and the parts
it extracts. The phrasings are written from the two measures' text, not from any gold set."""
import pytest
from hypothesis import given, settings, strategies as st

from assistant.rules import ALONE, UNSPECIFIED, WITH_OFFICER_PRESENT, DutyQuestion, classify, judge, load_rules
from assistant.types import CONDITIONAL, NO, NOT_ADDRESSED, YES

# (question, measure chosen outside the question, activity, verdict)
PHRASINGS = [
    ('辅助人员可以单独送达法律文书吗？', None, 'serve_documents', 'conditional'),
    ('协管员能自己去贴封条吗？', None, 'seal_property', 'conditional'),
    ('单位能让我们冒充正式执法人员去检查吗？', None, 'act_in_officer_name', 'no'),
    ('有执法人员在场的话，泰兴的辅助人员可以立案受理吗？', None, 'file_case', 'no'),
    ('有执法人员在场的话，河北的辅助人员可以立案受理吗？', None, 'file_case', 'conditional'),
    ('辅助人员能立案吗？', None, 'file_case', 'no'),
    ('协管员可以开罚单吗？', None, 'make_decision', 'no'),
    ('河北办法下辅助人员能单独作出处罚决定吗？', None, 'make_decision', 'conditional'),
    ('辅助人员可以暂扣商贩的三轮车吗？', None, 'coercive_measures', 'no'),
    ('协管员能扣车吗', None, 'coercive_measures', 'no'),
    ('辅助人员能拖车吗？', None, 'coercive_measures', 'no'),
    ('河北的协管员可以在执法人员带领下查封店铺吗？', None, 'coercive_measures', 'conditional'),
    ('辅助人员可以录口供吗？', None, 'onsite_check_and_evidence', 'conditional'),
    ('协管员自己做笔录行不行？', None, 'onsite_check_and_evidence', 'conditional'),
    ('辅助人员可以单独调查取证吗', None, 'onsite_check_and_evidence', 'conditional'),
    ('辅助人员能查身份证吗？', None, 'inspection', 'conditional'),
    ('辅助人员可以自己去商户检查吗', None, 'inspection', 'conditional'),
    ('辅助人员执法时必须亮证吗？', None, 'show_identity', 'yes'),
    ('可以不戴胸牌吗？', None, 'wear_badge', 'no'),
    ('辅助人员需要佩戴臂章吗', None, 'wear_badge', 'yes'),
    ('协管员能收红包吗', None, 'take_bribes', 'no'),
    ('执法检查的时候商户塞红包能收吗？', None, 'take_bribes', 'no'),
    ('吃拿卡要行不行', None, 'take_bribes', 'no'),
    ('辅助人员可以兼职吗？', None, 'related_profit_activities', 'no'),
    ('辅助人员能在外面做生意吗', None, 'related_profit_activities', 'no'),
    ('辅助人员可以辞职吗？', None, 'resign', 'yes'),
    ('单位可以不让我辞职吗？', None, 'resign', 'no'),
    ('辅助人员可以化验样品吗？', None, 'lab_analysis', 'yes'),
    ('化验结果要作为证据的，辅助人员可以独立做吗？', None, 'technical_work_as_evidence', 'conditional'),
    ('辅助人员可以独立开展普法宣传吗？', None, 'publicize_law', 'yes'),
    ('协管员可以自己巡逻吗？', None, 'patrol_report', 'yes'),
    ('辅助人员能开执法车吗？', None, 'drive_vehicle', 'yes'),
    ('辅助人员能当翻译吗', None, 'translation', 'yes'),
    ('辅助人员可以单独录入信息吗', None, 'data_entry', 'yes'),
    ('辅助人员可以管档案吗？', None, 'clerical_documents', 'yes'),
    ('辅助人员可以接热线电话吗', None, 'hotline_window', 'yes'),
    ('商户不配合，辅助人员能动手推搡他吗？', None, 'rude_violence', 'no'),
    ('辅助人员可以骂人吗', None, 'rude_violence', 'no'),
    ('辅助人员能打人吗', None, 'rude_violence', 'no'),
    ('辅助人员可以把案情透露给朋友吗', None, 'leak_secrets', 'no'),
    ('可以删除执法记录仪里的视频吗', None, 'tamper_records', 'no'),
    ('辅助人员可以帮熟人通风报信吗', None, 'shield_violators', 'no'),
    ('单位可以给我们下达罚款指标吗？', None, 'fine_quotas', 'no'),
    ('工资可以和罚款挂钩吗', None, 'pay_linked_to_fines', 'no'),
    ('单位能安排辅助人员办涉密案件吗', None, 'state_secret_work', 'no'),
    ('辅助人员可以单独维持现场秩序吗', None, 'maintain_order', 'conditional'),
    ('辅助人员可以协助执行处罚决定吗', None, 'execute_decisions', 'conditional'),
    ('辅助人员可以单独强拆违建吗', None, 'execute_decisions', 'conditional'),
    ('辅助人员能劝阻违法行为吗', None, 'prevent_stop_violations', 'conditional'),
    ('辅助人员可以搬运涉案财物吗', None, 'count_move_property', 'conditional'),
    ('辅助人员可以独立审批许可证吗', None, 'licensing', 'conditional'),
    ('辅助人员可以收罚款吗', None, 'collect_fees', 'conditional'),
    ('辅助人员有执法权吗', None, 'enforce_independently', 'conditional'),
    ('单位必须和我们签劳动合同吗', None, 'labour_contract', 'yes'),
    ('单位可以不跟辅助人员签合同吗', None, 'labour_contract', 'no'),
    ('辅助人员可以参加社保吗', None, 'social_insurance', 'yes'),
    ('单位可以不给辅助人员交社保吗', None, 'social_insurance', 'no'),
    ('单位可以拖欠工资吗', None, 'get_paid', 'no'),
    ('出差有补贴吗', None, 'travel_allowance', 'yes'),
    ('执法时受伤能享受工伤待遇吗', None, 'work_injury_benefits', 'yes'),
    ('17岁可以当辅助人员吗', None, 'hiring_age', 'no'),
    ('40岁还能被招聘为辅助人员吗', None, 'hiring_age', 'no'),
    ('泰兴办法对40岁的人当辅助人员有限制吗', None, 'hiring_age', 'yes'),  # no upper limit in taixing
    ('未成年人能当辅助人员吗', None, 'hire_under_18', 'no'),
    ('泰兴办法对超龄的人当辅助人员有限制吗', None, 'hire_over_35', 'not_addressed'),
    ('坐过牢的人能当辅助人员吗', None, 'criminal_record', 'no'),
    ('吸过毒的人可以当协管员吗', None, 'drug_record', 'no'),
    ('泰兴这边，吸过毒的人可以当辅助人员吗', None, 'drug_record', 'not_addressed'),
    ('老赖能当辅助人员吗', None, 'bad_credit', 'no'),
    ('退伍军人能优先录用吗', None, 'priority_hiring', 'yes'),
    ('初中学历可以当辅助人员吗', None, 'below_high_school', 'no'),
    ('没培训就上岗可以吗', None, 'pre_job_training', 'no'),
    ('培训不合格还能上岗吗', None, 'work_after_failed_training', 'no'),
    ('无证上岗可以吗', None, 'work_with_certificate', 'no'),
    ('离职的时候可以把制服带走吗', None, 'return_items_on_leaving', 'no'),
    ('我要自己承担法律后果吗', None, 'agency_bears_consequences', 'no'),
    ('单位赔偿后可以向我追偿吗', None, 'recover_compensation', 'yes'),
    ('群众可以投诉辅助人员吗', None, 'complaints', 'yes'),
    ('辅助人员违规会被处分吗', None, 'discipline_for_violations', 'yes'),
    ('单位可以开除严重违纪的辅助人员吗', None, 'dismissal', 'yes'),
    ('辅助人员能对单位提意见吗', None, 'make_suggestions', 'yes'),
    ('考核不合格会影响续聘吗', None, 'assessment_consequences', 'yes'),
    ('辅助人员有编制吗', None, 'establishment_post', 'no'),
    ('辅助人员可以泄露个人隐私吗', None, 'leak_secrets', 'no'),
    ('辅助人员可以超出职责范围工作吗', None, 'exceed_duties', 'no'),
    ('辅助人员可以拒绝领导交办的任务吗', None, 'refuse_duties', 'no'),
    ('辅助人员可以弄虚作假吗', None, 'falsify', 'no'),
    ('协管员可以敲竹杠吗', None, 'extortion', 'no'),
    ('辅助人员可以单独审核案件吗', 'hebei', 'review_case', 'conditional'),
    ('协管员必须听从指挥吗', None, 'obey_command', 'yes'),
    ('执法的时候可以说脏话吗', None, 'civil_conduct', 'no'),
    ('辅助人员的胸牌可以和执法人员一样吗', None, 'badge_like_officer', 'no'),
    ('单位可以安排辅助人员做需要专业资质的工作吗', None, 'work_requiring_qualification', 'no'),
    ('被拘留过的人还能当辅助人员吗', None, 'detention_record', 'no'),
    ('被开除过的人能当辅助人员吗', None, 'dismissed_before', 'no'),
    ('单位可以通过劳务派遣招辅助人员吗', None, 'labour_dispatch', 'yes'),
    ('河北可以通过政府购买服务招辅助人员吗', None, 'recruitment_method', 'yes'),
    ('单位要定期考核辅助人员吗', None, 'assessment', 'yes'),
    ('单位需要公示辅助人员信息吗', None, 'public_disclosure', 'yes'),
    ('做得好会有表彰奖励吗', None, 'commendation', 'yes'),
    ('构成犯罪会被追究刑事责任吗', None, 'criminal_referral', 'yes'),
    ('单位可以不组织年度培训吗', None, 'regular_training', 'no'),
    ('辅助人员可以单独送达处罚决定书吗', None, 'serve_documents', 'conditional'),
    ('巡查时发现违法行为，辅助人员可以制止吗', None, 'prevent_stop_violations', 'conditional'),
    ('协管猿可以单独送达文书吗', None, 'serve_documents', 'conditional'),
    ('辅助人圆可以开罚单码', None, 'make_decision', 'no'),
    ('辅助人员可以贴疯条吗', None, 'seal_property', 'conditional'),
    ('辅助人员可以立按吗', None, 'file_case', 'no'),
    ('辅助人员能不能录口共', None, 'onsite_check_and_evidence', 'conditional'),
    ('协管员可已收洪包吗', None, 'take_bribes', 'no'),
    ('may I tow a car on my own?', None, 'coercive_measures', 'no'),
    ('Can an auxiliary serve legal documents alone?', None, 'serve_documents', 'conditional'),
    ('Can I serve documnets by myself?', None, 'serve_documents', 'conditional'),
    ('Can the bureau set fine quotas for us?', None, 'fine_quotas', 'no'),
    ('Can auxiliaries issue fines?', None, 'make_decision', 'no'),
    ('Is an auxiliary allowed to take a statement from a witness?', None, 'onsite_check_and_evidence', 'conditional'),
    ('Can I seize goods from a street vendor?', None, 'coercive_measures', 'no'),
    ('Can I moonlight as a delivery driver?', None, 'related_profit_activities', 'no'),
    ('Am I allowed to quit?', None, 'resign', 'yes'),
    ('Can an auxiliary accept a red envelope?', None, 'take_bribes', 'no'),
    ('Do I have to wear a badge?', None, 'wear_badge', 'yes'),
    ('Can I not wear my badge?', None, 'wear_badge', 'no'),
    ('Can an auxiliary hit a vendor who refuses to cooperate?', None, 'rude_violence', 'no'),
    ('Can the bureau make us pretend to be officers?', None, 'act_in_officer_name', 'no'),
    ('Can an auxiliary drive the enforcement vehicle alone?', None, 'drive_vehicle', 'yes'),
    ('Can auxiliaries publicise the law on their own?', None, 'publicize_law', 'yes'),
    ('Can I do lab tests alone?', None, 'lab_analysis', 'yes'),
    ('Can an auxiliary file a case with an officer present?', None, 'file_case', 'no'),
    ('Under the Hebei measure, can an auxiliary file a case with an officer present?', None, 'file_case', 'conditional'),
    ('Must the agency give pre-job training?', None, 'pre_job_training', 'yes'),
    ('Can the bureau withhold my pay?', None, 'get_paid', 'no'),
    ('Can someone with a criminal record be hired?', None, 'criminal_record', 'no'),
    ('Can a 17 year old be hired as an auxiliary?', None, 'hiring_age', 'no'),
    ('Do auxiliaries get social insurance?', None, 'social_insurance', 'yes'),
    ('Can I leak information about a case?', None, 'leak_secrets', 'no'),
    ('Can I delete the body camera footage?', None, 'tamper_records', 'no'),
    ('May an auxiliary keep the uniform after leaving?', None, 'return_items_on_leaving', 'no'),
    ('can i impound a scooter alone', None, 'coercive_measures', 'no'),
    ('Is it ok for an auxiliary to inspect a shop without an officer?', None, 'inspection', 'conditional'),
    ('Can I take a bribe?', None, 'take_bribes', 'no'),
    ('Can an auxiliary translate for a foreign vendor?', None, 'translation', 'yes'),
    ('Can the agency link our salary to fines?', None, 'pay_linked_to_fines', 'no'),
    ('Can I be fined personally... no wait, can I issue a ticket?', None, 'make_decision', 'no'),
    ('Can an auxiliry patrol alone?', None, 'patrol_report', 'yes'),
    ('Can an auxiliary seal up evidence when an officer is there?', None, 'seal_property', 'conditional'),
    ('辅助人员能不能单独执法检查？', None, 'inspection', 'conditional'),
    ('辅助人员可以没收商贩的东西吗', None, 'make_decision', 'no'),
    ('辅助人员能抓人吗', None, 'coercive_measures', 'no'),
    ('辅助人员可以单独执法吗', None, 'enforce_independently', 'conditional'),
    ('辅助人员工资可以按罚款提成吗', None, 'pay_linked_to_fines', 'no'),
    ('Can the bureau fire me?', None, 'dismissal', 'yes'),
    ('Can I take part-time work?', None, 'related_profit_activities', 'no'),
    ('Can I arrest someone?', None, 'coercive_measures', 'no'),
    ("Can I check someone's ID?", None, 'inspection', 'conditional'),
    ('Are auxiliaries allowed to accept gifts?', None, 'take_bribes', 'no'),
    ('Is it legal to link our bonus to the number of fines?', None, 'pay_linked_to_fines', 'no'),
]


# Colloquial verb + object: a one-character verb (扣, 删, 讹) counts with what it acts on, in either order.
COLLOQUIAL = [
    ('我能扣他的东西吗', None, 'coercive_measures', 'no'),
    ('协管员可以扣商贩的货吗', None, 'coercive_measures', 'no'),
    ('能把他的车扣了吗', None, 'coercive_measures', 'no'),
    ('商户的货能扣吗', None, 'coercive_measures', 'no'),
    ('协管员能不能把摊贩的秤扣下来', None, 'coercive_measures', 'no'),
    ('城管协管员可以收走商贩的电动车吗', None, 'coercive_measures', 'no'),
    ('河北的辅助人员可以扣东西吗', None, 'coercive_measures', 'conditional'),
    ('辅助人员能扣摊子吗', 'hebei', 'coercive_measures', 'conditional'),
    ("Can I take away a vendor's tricycle?", None, 'coercive_measures', 'no'),
    ('单位能扣我工资吗', None, 'get_paid', 'no'),  # 扣工资 is about pay, not a coercive measure
    ('把视频删掉可以吗', None, 'tamper_records', 'no'),
    ('执法记录仪的录像能删了吗', None, 'tamper_records', 'no'),
    ('可以把记录抹掉吗', None, 'tamper_records', 'no'),
    ('录像拍得不好能删了重拍吗', None, 'tamper_records', 'no'),
    ('把笔录改一改可以吗', None, 'tamper_records', 'no'),
    ('Can I erase the bodycam video?', None, 'tamper_records', 'no'),
    ('辅助人员能在朋友圈发执法照片吗', None, 'tamper_records', 'no'),
    ('辅助人员可以清点扣押的物品吗', None, 'count_move_property', 'conditional'),  # 扣押的 describes the goods
    ('辅助人员能向群众透露自己的身份吗', None, 'show_identity', 'yes'),
    ('单位能扣辅助人员的奖金吗', None, 'welfare', 'no'),
    ('单位可以扣发辅助人员的绩效吗', None, 'get_paid', 'no'),
    ('Can I edit the inspection record afterwards?', None, 'tamper_records', 'no'),
    ("Is it OK to give a shop owner's phone number to someone?", None, 'leak_secrets', 'no'),
    ('Can I accept cigarettes from a shop owner?', None, 'take_bribes', 'no'),
    ('能把商户的经营信息告诉朋友吗', None, 'leak_secrets', 'no'),
    ('能把当事人的隐私说给别人听吗', None, 'leak_secrets', 'no'),
    ('我能把举报人告诉被举报的商户吗', None, 'leak_secrets', 'no'),
    ('辅助人员能把检查计划透露给亲戚吗', None, 'leak_secrets', 'no'),
    ("Can I tell my friend about a shop's business information?", None, 'leak_secrets', 'no'),
    ('协管员能敲他一笔吗', None, 'extortion', 'no'),
    ('能讹商户吗', None, 'extortion', 'no'),
    ('Can I squeeze money out of a vendor?', None, 'extortion', 'no'),
    ('卡拿要可以吗', None, 'take_bribes', 'no'),
    ('商户送的烟能收下吗', None, 'take_bribes', 'no'),
    ('可以隐瞒违法行为吗', None, 'shield_violators', 'no'),
    ('能瞒着领导放他一马吗', None, 'shield_violators', 'no'),
    ('可以帮亲戚隐瞒违建吗', None, 'shield_violators', 'no'),
    ('可以提前告诉商户要检查吗', None, 'shield_violators', 'no'),
    ("Can I cover up a friend's violation?", None, 'shield_violators', 'no'),
    ('能管不该管的事吗', None, 'exceed_duties', 'no'),
    ('辅助人员能管职责之外的事吗', None, 'exceed_duties', 'no'),
    ('Can I act beyond my role?', None, 'exceed_duties', 'no'),
    ('辅助人员能帮群众查询吗', None, 'hotline_window', 'yes'),
    ('辅助人员可以接12345热线吗', None, 'hotline_window', 'yes'),
    ('辅助人员可以做档案吗', None, 'clerical_documents', 'yes'),
    ('辅助人员能建档案吗', None, 'clerical_documents', 'yes'),
    ('辅助人员可以往系统里录信息吗', None, 'data_entry', 'yes'),
    ('辅助人员可以维护电脑网络吗', None, 'it_maintenance', 'yes'),
    ('辅助人员可以修打印机吗', None, 'it_maintenance', 'yes'),
    ('Can an auxiliary fix the office network alone?', None, 'it_maintenance', 'yes'),
    ('辅助人员能做数据统计吗', None, 'data_analysis', 'yes'),
    ('辅助人员能做月报吗', None, 'data_analysis', 'yes'),
    ('can I put a seel on goods alone?', None, 'seal_property', 'conditional'),
    ('能把执法视频发到抖音上吗', None, 'tamper_records', 'no'),
    ('可以把当事人的电话号码给别人吗', None, 'leak_secrets', 'no'),
    ('小摊贩给我塞了两百块钱能收吗', None, 'take_bribes', 'no'),
    ('Can I ask a vendor for money to let him go?', None, 'extortion', 'no'),
    ('检查前能给朋友的店打个招呼吗', None, 'shield_violators', 'no'),
    ('Can an auxilary seal up the goods?', None, 'seal_property', 'conditional'),
    ('Can an auxillary put a paper seal on the door with an officer?', None, 'seal_property', 'conditional'),
]

# Typos and homophones in the subject (and verbs): no correctly spelled subject is needed.
TYPOS = [
    ('协管猿可以扣车吗', None, 'coercive_measures', 'no'),
    ('协管圆能打人吗', None, 'rude_violence', 'no'),
    ('辅组人员能收红包吗', None, 'take_bribes', 'no'),
    ('执法辅助人圆可以开罚单吗', None, 'make_decision', 'no'),
    ('执法辅助人圆能立案吗', None, 'file_case', 'no'),
    ('写管员可以收红包吗', None, 'take_bribes', 'no'),
    ('付助人员能打人吗', None, 'rude_violence', 'no'),
    ('辅助人元可以兼职吗', None, 'related_profit_activities', 'no'),
    ('辅组人员可以单独送达文书吗', None, 'serve_documents', 'conditional'),
    ('执法人圆不在场，协管猿能查封店铺吗', 'hebei', 'coercive_measures', 'conditional'),
    ('Can an auxilary take a bribe?', None, 'take_bribes', 'no'),
    ('Can an auxillary serve documnets alone?', None, 'serve_documents', 'conditional'),
    ('Can an auxillary do enforcment alone?', None, 'enforce_independently', 'conditional'),
    ('Is an auxiliery allowed to seize goods without an offcer?', None, 'coercive_measures', 'no'),
    ('Can a law enforcement auxiliary patrol alone?', None, 'patrol_report', 'yes'),
]

# A proposed number held against the limit the measure stores as data (threshold: {min, max, unit}).
THRESHOLDS = [
    ('岗前培训2天够吗', None, 'pre_job_training', 'no'),
    ('is 2 days of pre-job training enough', None, 'pre_job_training', 'no'),
    ('岗前培训只搞半天行吗', None, 'pre_job_training', 'no'),
    ('岗前培训三个工作日可以吗', None, 'pre_job_training', 'yes'),
    ('岗前培训搞五天可以吗', 'taixing', 'pre_job_training', 'yes'),
    ('河北办法下岗前培训2天够吗', None, 'pre_job_training', 'not_addressed'),
    ('Can pre-job training be shorter than three days?', None, 'pre_job_training', 'no'),
    ('Is one day of induction training enough?', None, 'pre_job_training', 'no'),
    ('一年培训能少于10个工作日吗', None, 'regular_training', 'no'),
    ('年度培训搞5天够不够', None, 'regular_training', 'no'),
    ('年度培训十二天可以吗', None, 'regular_training', 'yes'),
    ('Is eight days of annual training enough?', None, 'regular_training', 'no'),
    ('我42岁能报吗', None, 'hiring_age', 'no'),
    ('我今年36岁，能报考辅助人员吗', None, 'hiring_age', 'no'),
    ('Can I be hired at 38?', 'taixing', 'hiring_age', 'yes'),
    ('Can someone who is 17 apply?', None, 'hiring_age', 'no'),
    ('我42岁能报吗', 'taixing', 'hiring_age', 'yes'),
    ('我四十二岁，河北能报名当辅助人员吗', None, 'hiring_age', 'no'),
    ('17岁能当协管员吗', None, 'hiring_age', 'no'),
    ('十七周岁能当协管员吗', 'taixing', 'hiring_age', 'no'),
    ('25岁能当协管员吗', None, 'hiring_age', 'yes'),
    ('三十五岁能报名吗', 'hebei', 'hiring_age', 'yes'),
    ('超过35岁能招吗', None, 'hiring_age', 'no'),
    ('未满18岁能当辅助人员吗', None, 'hire_under_18', 'no'),  # the named condition outweighs the bare number
    ('40岁的辅助人员还能续聘吗', None, 'assessment_consequences', 'yes'),  # renewal, not the first-hire age
    ('Can a 42-year-old apply to be an auxiliary?', None, 'hiring_age', 'no'),
    ('Can a 16 year old be an auxiliary?', None, 'hiring_age', 'no'),
    ('Under the Taixing measure, can someone aged 50 be hired?', None, 'hiring_age', 'yes'),
]

# "Before" and sequencing: a prerequisite not yet met (证还没发, 培训没考过) is the duty's inverse.
SEQUENCING = [
    ('证还没发下来能先上岗吗', None, 'work_with_certificate', 'no'),
    ('工作证还没办下来可以先干着吗', None, 'work_with_certificate', 'no'),
    ('泰兴的辅助人员拿证之前能上岗吗', None, 'work_with_certificate', 'no'),
    ('Can I start work before I get my certificate?', None, 'work_with_certificate', 'no'),
    ('我没有拿到工作证能上街执法吗', None, 'work_with_certificate', 'no'),
    ('岗前培训没考过能上岗吗', None, 'work_after_failed_training', 'no'),
    ('培训考试挂了还能上岗吗', None, 'work_after_failed_training', 'no'),
    ('Can I work if I failed the training exam?', None, 'work_after_failed_training', 'no'),
    ('能先上岗后培训吗', None, 'pre_job_training', 'no'),
    ('Can I start working before training?', None, 'pre_job_training', 'no'),
]

# A duty asked the other way round: the question proposes breaking it, so the answer is no.
VIOLATIONS = [
    ('胸牌臂章能做得跟执法人员一模一样吗', None, 'badge_like_officer', 'no'),
    ('我们的制服能跟执法人员的一样吗', None, 'badge_like_officer', 'no'),
    ("Can our badges look the same as the officers'?", None, 'badge_like_officer', 'no'),
    ('辞职了工作证能自己留着吗', None, 'return_items_on_leaving', 'no'),
    ('离职的时候胸牌可以不交吗', None, 'return_items_on_leaving', 'no'),
    ('辞职以后制服能带回家吗', None, 'return_items_on_leaving', 'no'),
    ('Can I keep my work card after I quit?', None, 'return_items_on_leaving', 'no'),
    ('Can I keep my armband after resigning?', None, 'return_items_on_leaving', 'no'),
    ('辞职需要交回工作证吗', None, 'return_items_on_leaving', 'yes'),
    ('辅助人员要持证上岗吗', None, 'work_with_certificate', 'yes'),
]

# Authority and rights: no independent enforcement authority, protection by law, suggestions, guidance.
AUTHORITY_AND_RIGHTS = [
    ('辅助人员有独立执法资格吗', None, 'independent_qualification', 'no'),
    ('do auxiliaries have independent enforcement authority', None, 'independent_qualification', 'no'),
    ('协管员是执法主体吗', None, 'independent_qualification', 'no'),
    ('辅助人员有没有独立执法的资格', None, 'independent_qualification', 'no'),
    ('Do auxiliaries have their own enforcement powers?', None, 'independent_qualification', 'no'),
    ('辅助人员需要听从执法人员的指挥吗', None, 'obey_command', 'yes'),
    ('辅助人员要在执法人员指导下工作吗', 'hebei', 'obey_command', 'yes'),
    ('辅助人员有执法权吗', None, 'enforce_independently', 'conditional'),
    ('依法履职受法律保护吗', None, 'legal_protection', 'yes'),
    ('Are auxiliaries protected by law when doing their duties?', None, 'legal_protection', 'yes'),
    ('河北的辅助人员履职受法律保护吗', None, 'legal_protection', 'not_addressed'),
    ('能给单位提意见吗', None, 'make_suggestions', 'yes'),
    ('对领导的安排有意见能提吗', None, 'make_suggestions', 'yes'),
    ('可以对执法人员的指挥提出异议吗', None, 'make_suggestions', 'yes'),
    ("Can I disagree with the officer's order?", None, 'make_suggestions', 'yes'),
    ('May auxiliaries raise opinions with their agency?', None, 'make_suggestions', 'yes'),
    ('要不要听执法人员指导', 'hebei', 'obey_command', 'yes'),
    ('辅助人员必须接受执法人员的指导吗', None, 'obey_command', 'yes'),
    ("Do auxiliaries have to follow officers' guidance?", None, 'obey_command', 'yes'),
    ('辅助人员可以不听执法人员的吗', None, 'obey_command', 'no'),
]

# An order from a superior to do rights-affecting work alone: the agency's own prohibition (taixing 20(2)).
AGENCY_ORDERS = [
    ('队长让我一个人去处理影响商户权利义务的事，合规吗', None, 'assign_affecting_rights_alone', 'no'),
    ('领导让我单独去检查商户可以吗', None, 'assign_affecting_rights_alone', 'no'),
    ('队长叫我一个人去审批许可证合规吗', None, 'assign_affecting_rights_alone', 'no'),
    ('单位让我自己去收费可以吗', None, 'assign_affecting_rights_alone', 'no'),
    ('Can my supervisor make me inspect shops alone?', None, 'assign_affecting_rights_alone', 'no'),
    ('河北这边领导让我单独去检查商户可以吗', None, 'assign_affecting_rights_alone', 'conditional'),
    ('单位能安排辅助人员跟着执法人员去检查吗', None, 'inspection', 'conditional'),
    ('执法人员下班了我能单独检查吗', None, 'inspection', 'conditional'),
]

# Making or issuing a decision is taixing 10(3) (absolute), not licensing work (10(5), not alone).
DECISIONS = [
    ('自己能作出行政许可决定吗', None, 'make_decision', 'no'),
    ('辅助人员能决定是否批准许可吗', None, 'make_decision', 'no'),
    ('Can an auxiliary approve a permit application?', None, 'make_decision', 'no'),
    ('Can an auxiliary decide whether to grant a permit?', None, 'make_decision', 'no'),
    ('河北的辅助人员能单独作出不予许可的决定吗', None, 'make_decision', 'conditional'),
    ('辅助人员可以单独办理许可吗', None, 'licensing', 'conditional'),
]

# Hiring disqualifications, each measure in its own terms.
HIRING = [
    ('正在强制隔离戒毒的人能被聘用吗', None, 'currently_detained', 'no'),
    ('在戒毒所的人能招吗', 'taixing', 'currently_detained', 'no'),
    ('因违反规定被解除劳动合同的人能再被招聘吗', None, 'dismissed_before', 'no'),
    ('被辞退的人还能再聘吗', None, 'dismissed_before', 'no'),
    ('辅助人员违规会被解除劳动合同吗', None, 'dismissal', 'yes'),
    ('曾被行政拘留的能招吗', None, 'detention_record', 'no'),
    ('曾被行政拘留的能招吗', 'taixing', 'detention_record', 'not_addressed'),
    ('辅助人员可以要求解除劳动合同吗', None, 'resign', 'yes'),
    ('Can someone who is currently in detention be hired?', None, 'currently_detained', 'no'),
    ('Can a person fired for breaking agency rules be rehired?', None, 'dismissed_before', 'no'),
    ('Can someone who was once administratively detained be hired under Taixing?', None, 'detention_record',
     'not_addressed'),
]

# Taixing 8: the routine work an auxiliary may do alone, said colloquially, several items at once, with typos.
INDEPENDENT_WORK = [
    ('能自己做档案管理、录入信息这些活吗', None, 'clerical_documents', 'yes'),
    ('辅助人圆能自己做档案管理、录入信息这些活吗', None, 'clerical_documents', 'yes'),
    ('协管猿能自己整理归档、录数据吗', None, 'clerical_documents', 'yes'),
    ('协管员可以单独做归档和信息录入吗', None, 'data_entry', 'yes'),
    ('能自己接执法热线、帮群众查询吗', None, 'hotline_window', 'yes'),
    ('辅助人员可以负责查询工作吗', None, 'hotline_window', 'yes'),
    ('协管员能单独负责12345热线吗', None, 'hotline_window', 'yes'),
    ('辅助人员能在窗口接送材料吗', None, 'hotline_window', 'yes'),
    ('能维护电脑网络、做数据统计吗', None, 'it_maintenance', 'yes'),
    ('辅组人员可以自己维护网络、修电脑吗', None, 'it_maintenance', 'yes'),
    ('协管员能自己搞统计分析吗', None, 'data_analysis', 'yes'),
    ('辅助人圆可以做数据统计、分析报表吗', None, 'data_analysis', 'yes'),
    ('协管员可以自己写个通知吗', None, 'clerical_documents', 'yes'),
    ('辅助人员可以做文书工作吗', None, 'clerical_documents', 'yes'),
    ('协管员可以采集信息、录进系统吗', None, 'data_entry', 'yes'),
    ('协管员能做化验和翻译吗', None, 'lab_analysis', 'yes'),
    ('协管员能录入和翻译吗', None, 'data_entry', 'yes'),
    ('辅助人员能开车和巡逻吗', None, 'drive_vehicle', 'yes'),
    ('辅助人员能维护电脑网络吗', 'hebei', 'it_maintenance', 'not_addressed'),
    ('辅助人员能不能帮忙检查、取证', None, 'inspection', 'conditional'),  # listed alike: both only with an officer
    ('Can an auxiliary answer the enforcement hotline alone?', None, 'hotline_window', 'yes'),
    ('Can an auxilary man the hotline by himself?', None, 'hotline_window', 'yes'),
    ('Can an auxiliary look up information for the public on the phone?', None, 'hotline_window', 'yes'),
    ('Can auxiliaries do data entry and archiving alone?', None, 'data_entry', 'yes'),
    ('Can an assistent do the filing on her own?', None, 'clerical_documents', 'yes'),
    ('can i look after the IT systems alone', None, 'it_maintenance', 'yes'),
    ('Can I maintain the office computers and network by myself?', None, 'it_maintenance', 'yes'),
    ('can an auxillary compile statistics and analyse data?', None, 'data_analysis', 'yes'),
    ('Can an auxiliary drive and translate?', None, 'drive_vehicle', 'yes'),
    ('协管员能自己去发发传单吗', None, 'publicize_law', 'yes'),
    ('Can I hand out flyers alone?', None, 'publicize_law', 'yes'),
    ('辅助人员能自己保管对讲机和执法记录仪吗', None, 'maintain_equipment', 'yes'),
    ('领导交代的杂活，不影响老百姓权利的，可以自己干吗', 'taixing', 'assigned_work_not_affecting_rights', 'yes'),
]

# An age with no upper limit in Taixing: any stated age of eighteen or more is within taixing 14; Hebei caps
# the first hiring at thirty-five. The age may come without 岁 ("我42了") or with age words (年纪大了).
AGES = [
    ('泰兴那边招协管，我都43了还能去报名不', None, 'hiring_age', 'yes'),
    ('泰兴招辅助人员，我四十五了能报名吗', None, 'hiring_age', 'yes'),
    ('我今年50，泰兴还能应聘协管员吗', None, 'hiring_age', 'yes'),
    ('泰兴招聘辅助人员有年龄上限吗，我都45了', None, 'hiring_age', 'yes'),
    ('泰兴的协管员招聘，年纪大了，48岁能报吗', None, 'hiring_age', 'yes'),
    ('泰兴招聘协管员，五十多岁能报吗', None, 'hiring_age', 'yes'),
    ('我42了还能报协管圆吗', 'taixing', 'hiring_age', 'yes'),
    ('河北那边招协管，我都43了还能去报名不', None, 'hiring_age', 'no'),
    ('我都30了，河北还能报吗', None, 'hiring_age', 'yes'),
    ("I'm 50, can I apply in Taixing?", None, 'hiring_age', 'yes'),
    ("I'm 42 - can I sign up as an auxilary in Taixing?", None, 'hiring_age', 'yes'),
    ('Im 47 can i still join taixing auxiliaries', None, 'hiring_age', 'yes'),
    ('I am 45 years old, can I still apply in Hebei?', None, 'hiring_age', 'no'),
]

# A right (taixing 17) asked about with a worry over how it will be read: the right answers, not the misconduct
# the worry names, and the worry negates nothing.
RIGHTS_OVER_WORRIES = [
    ('协管员给所在单位提建议，会不会被当成不服从管理', None, 'make_suggestions', 'yes'),
    ('给领导提意见，算不算不服从管理？', None, 'make_suggestions', 'yes'),
    ('提意见会不会被当成不服从领导？我们能提吗', None, 'make_suggestions', 'yes'),
    ('能向单位反映问题吗？不会被认为是不服从安排吧', None, 'make_suggestions', 'yes'),
    ('协管员提合理化建议算不算违反纪律', None, 'make_suggestions', 'yes'),
    ('我能辞职吗？会不会算撂挑子', None, 'resign', 'yes'),
    ('出差能报销住宿费吗，会不会算收受财物', None, 'travel_allowance', 'yes'),
    ('Can I give my bureau suggestions, or would that count as disobeying orders?', None, 'make_suggestions', 'yes'),
    ('Can I raise concerns with the bureau, or would that be seen as insubordination?', None, 'make_suggestions',
     'yes'),
    ('Can we give feedback to the agency? Will it count as disobeying orders?', None, 'make_suggestions', 'yes'),
    ('辅助人员收红包会不会算受贿', None, 'take_bribes', 'no'),  # the worry is the whole question: it is asked
]

# An auxiliary's later career: neither measure speaks of it; each definition is quoted as context.
CAREER = [
    ('干协管的能去考公务员吗', None, 'civil_service_career', 'not_addressed'),
    ('Can auxiliaries take the civil service exam?', None, 'civil_service_career', 'not_addressed'),
    ('辅助人员能转正吗？', None, 'civil_service_career', 'not_addressed'),
    ('协管员以后能考编吗', None, 'civil_service_career', 'not_addressed'),
    ('协管猿能考公务员吗', None, 'civil_service_career', 'not_addressed'),
    ('辅助人员有机会转为在编人员吗', 'taixing', 'civil_service_career', 'not_addressed'),
    ('Can an auxiliary become a civil servant?', None, 'civil_service_career', 'not_addressed'),
    ('Can I sit the civil service exam while working as an auxilary?', None, 'civil_service_career', 'not_addressed'),
    ('can auxiliaries be made permanent?', None, 'civil_service_career', 'not_addressed'),
    ('辅助人员有编制吗', None, 'establishment_post', 'no'),  # being outside the establishment is settled
]

# Coercive measures in English, with the subject misspelt and the place leading: Hebei bars them alone only.
COERCIVE_IN_ENGLISH = [
    ("In Hebei may an auxilary seal up a store's stock all by himself?", None, 'coercive_measures', 'conditional'),
    ("Under the Hebei rules can an auxillary impound a vendor's goods by himself?", None, 'coercive_measures',
     'conditional'),
    ('hebei - can the assistent seize goods alone?', None, 'coercive_measures', 'conditional'),
    ('In Hebei may an auxiliary seal up a store without an officer', None, 'coercive_measures', 'conditional'),
    ('can a auxilary sieze a cart on his own in hebei', None, 'coercive_measures', 'conditional'),
    ("May an auxilary seal up a store's stock all by himself?", None, 'coercive_measures', 'no'),
    ('河北的协管员能自己查封店里的货吗', None, 'coercive_measures', 'conditional'),
]

# Who sets the badge design (taixing 21): the agency, or a township after the urban-management auxiliaries'.
BADGE_DESIGN = [
    ('taixing: township may design its own armband style?', None, 'set_badge_design', 'yes'),
    ('乡镇能自己定臂章样式吗', None, 'set_badge_design', 'yes'),
    ('泰兴的街道可以自己设计胸牌样式吗', None, 'set_badge_design', 'yes'),
    ('乡镇可以参照城管协管员的臂章定样式吗', None, 'set_badge_design', 'yes'),
    ('单位可以自己制定胸牌样式吗', None, 'set_badge_design', 'yes'),
    ('Can a street office in Taixing design its own armband?', None, 'set_badge_design', 'yes'),
    ('Can the township set its own armband design for auxiliaries?', None, 'set_badge_design', 'yes'),
    ('乡镇定的胸牌样式能跟执法人员一样吗', None, 'badge_like_officer', 'no'),
    ('一定要戴胸牌吗', None, 'wear_badge', 'yes'),
]

# Tag questions (…不, 有…没), haulage of case property, side business, officers watching over auxiliaries: the
# kinds of phrasing the development set (eval/dev.jsonl) showed unclaimed, in words of their own.
TAGS_AND_GAPS = [
    ('泰兴招人，我都50了还能报名不', None, 'hiring_age', 'yes'),
    ('河北的辅助人员执勤摔伤了有补助没', None, 'work_injury_benefits', 'yes'),
    ('泰兴协管员能自己贴封条不', None, 'seal_property', 'conditional'),
    ('Can a Taixing aux help count and haul the evidence boxes to the depot?', None, 'count_move_property', 'conditional'),
    ('泰兴的协管员私下做点小生意可以吗', None, 'related_profit_activities', 'no'),
    ('泰兴辅助人员上岗之前得先培训不', None, 'pre_job_training', 'yes'),
    ('In Taixing do officers have to keep an eye on auxiliaries in the field?', None, 'officer_supervision', 'yes'),
    # "detailed" is a word, not a typo of "detained"
    ('Do Taixing towns have to write detailed rules for auxiliaries?', None, 'detailed_rules', 'yes'),
    ('泰兴的执法部门要不要定自己的协管员管理细则', None, 'detailed_rules', 'yes'),
    ('河北要求各单位制定实施细则吗', None, 'detailed_rules', 'not_addressed'),
]

CATEGORIES = (COLLOQUIAL + TYPOS + THRESHOLDS + SEQUENCING + VIOLATIONS + AUTHORITY_AND_RIGHTS + AGENCY_ORDERS
              + DECISIONS + HIRING + INDEPENDENT_WORK + AGES + RIGHTS_OVER_WORRIES + CAREER + COERCIVE_IN_ENGLISH
              + BADGE_DESIGN + TAGS_AND_GAPS)


@pytest.mark.parametrize("question,measure,activity,verdict", CATEGORIES, ids=[p[0][:40] for p in CATEGORIES])
def test_category_phrasing_maps_to_activity_and_verdict(question, measure, activity, verdict):
    duty = classify(question, measure=measure)
    assert duty is not None, question
    assert (duty.activity, judge(duty).verdict) == (activity, verdict)


@pytest.mark.parametrize("question,value,comparison", [
    ("岗前培训2天够吗", 2, "eq"), ("一年培训能少于10个工作日吗", 10, "lt"), ("我四十二岁能报吗", 42, "eq"),
    ("超过35岁能招吗", 35, "gt"), ("Can pre-job training be shorter than three days?", 3, "lt"),
    ("Can a 42-year-old apply?", 42, "eq"), ("岗前培训只搞半天行吗", 0.5, "eq"),
    ("泰兴那边招协管，我都43了还能去报名不", 43, "eq"), ("我今年五十，泰兴能报吗", 50, "eq"), ("五十多岁能报吗", 50, "gt"),
    ("I'm 47 can I still apply in Taixing?", 47, "eq"),
])
def test_numbers_are_read_in_arabic_and_chinese_numerals(question, value, comparison):
    quantity = classify(question).quantity
    assert quantity is not None and (quantity.value, quantity.comparison) == (value, comparison)


def test_a_threshold_answer_names_the_limit_and_the_number_and_quotes_the_silent_measure_as_context():
    text = judge(classify("岗前培训2天够吗")).text("zh")
    assert text.startswith("**不可以。**") and "不少于3个工作日" in text and "「2天」不符合" in text
    assert "参考（河北办法对此没有专门规定" in text and "第十七条：「行政执法机关应当对行政执法辅助人员进行岗前培训」" in text
    english = judge(classify("is 2 days of pre-job training enough")).text("en")
    assert english.startswith("**No.**") and "2 days falls outside that limit" in english and "For context only" in english


def test_a_number_in_another_unit_or_a_date_is_not_a_threshold():
    assert classify("岗前培训在1月1日开始可以吗") is None or classify("岗前培训在1月1日开始可以吗").quantity is None
    assert classify("培训几天?") is None and classify("岗前培训不少于几个工作日？") is None
    # a bare number is an age only when the asker says it of themself, with no unit after it
    for question in ("我12345热线能接吗", "今年2024年还能招吗", "我3个工作日没培训能上岗吗"):
        duty = classify(question)
        assert duty is None or duty.quantity is None or duty.quantity.unit != "age", question


def test_an_age_without_upper_limit_is_within_taixing_and_says_so():
    verdict = judge(classify("泰兴那边招协管，我都43了还能去报名不"))
    text = verdict.text("zh")
    assert verdict.verdict == YES and text.startswith("**可以。**") and "没有规定年龄上限" in text
    assert [str(c.ref) for c in verdict.citations] == ["taixing:14(3)", "taixing:14"]
    english = judge(classify("I'm 50, can I apply in Taixing?")).text("en")
    assert english.startswith("**Yes.**") and "no upper age limit" in english


def test_a_stated_age_outweighs_age_words_that_name_no_number():
    assert classify("年纪大了能当协管员吗").activity == "hire_over_35"
    assert classify("年纪大了，48岁能报吗").activity == "hiring_age"


def test_activities_listed_together_are_answered_together():
    duty = classify("能自己做档案管理、录入信息这些活吗")
    assert (duty.activity, duty.also) == ("clerical_documents", ("data_entry",))
    verdict = judge(duty)
    zh = verdict.text("zh")
    assert verdict.verdict == YES and "制作非执法类文书、管理档案和信息采集与录入" in zh
    assert "「非执法类文书制作、档案管理」" in zh and "「信息采集与录入等事务性工作」" in zh
    english = judge(classify("Can an auxiliary drive and translate?")).text("en")
    assert "driving enforcement vehicles and boats" in english  # each entry's reason, translation's its own:
    assert "lists translation as technical work" in english and "except where it serves as enforcement evidence" in english


def test_a_worry_clause_neither_names_the_activity_nor_negates_it():
    duty = classify("协管员给所在单位提建议，会不会被当成不服从管理")
    assert duty.activity == "make_suggestions" and not duty.negated
    assert judge(duty).text("zh").startswith("**可以。**")


def test_career_questions_are_unaddressed_with_each_definition_as_context():
    verdict = judge(classify("干协管的能去考公务员吗"))
    assert verdict.verdict == NOT_ADDRESSED and verdict.text("zh").startswith("**两部办法均未作规定。**")
    assert {str(c.ref) for c in verdict.citations} == {"taixing:3", "hebei:2"}
    assert "不纳入编制管理" in verdict.text("zh")


def test_a_silent_measure_is_said_to_be_silent_and_its_general_clause_is_quoted_as_labelled_context():
    verdict = judge(classify("辅助人员可以单独送达法律文书吗？"))
    assert verdict.verdict == CONDITIONAL
    hebei = next(f for f in verdict.findings if f.measure == "hebei")
    assert hebei.verdict == NOT_ADDRESSED and [str(c.ref) for c in hebei.context] == ["hebei:13"]
    assert any(str(c.ref) == "hebei:13" for c in verdict.citations)
    zh, en = verdict.text("zh"), verdict.text("en")
    assert "河北办法对此没有专门规定" in zh and "参考（河北办法对此没有专门规定" in zh
    assert "第十三条：「行政执法辅助人员应当在行政执法人员指导下开展执法辅助工作」" in zh
    assert "The Hebei measure does not address this." in en and "For context only (the Hebei measure" in en
    # the context never turns a silent measure into a verdict
    named = judge(classify("河北的辅助人员可以开执法车吗"))
    assert named.verdict == NOT_ADDRESSED and named.text("zh").startswith("**河北办法对此未作规定。**")
    assert "第十三条" in named.text("zh")


def test_past_detention_cites_taixing_current_detention_only_as_context():
    verdict = judge(classify("曾被行政拘留的能招吗", measure="taixing"))
    assert verdict.verdict == NOT_ADDRESSED
    assert [str(c.ref) for c in verdict.findings[0].context] == ["taixing:15(2)"]
    assert "「正在被拘留或者强制隔离戒毒的」" in verdict.text("zh")


@pytest.mark.parametrize("question,modality", [
    ("执法人圆不在场，协管猿能查封店铺吗", ALONE), ("Is an auxiliery allowed to seize goods without an offcer?", ALONE),
    ("有执法人猿在场，辅组人员可以调查取证吗", WITH_OFFICER_PRESENT),
])
def test_typos_do_not_hide_the_modality(question, modality):
    assert classify(question).modality == modality


@pytest.mark.parametrize("question,measure,activity,verdict", PHRASINGS, ids=[p[0][:40] for p in PHRASINGS])
def test_phrasing_maps_to_activity_and_verdict(question, measure, activity, verdict):
    duty = classify(question, measure=measure)
    assert duty is not None, question
    assert (duty.activity, judge(duty).verdict) == (activity, verdict)


def test_there_are_at_least_eighty_phrasings_in_both_languages():
    english = [p for p in PHRASINGS if p[0].isascii()]
    assert len(PHRASINGS) >= 80 and len(english) >= 20 and len(PHRASINGS) - len(english) >= 60


def test_every_activity_is_reachable_by_its_own_first_trigger():
    for activity in load_rules().activities:
        duty = classify(f"辅助人员可以{activity.triggers_zh[0]}吗？")
        assert duty is not None and duty.activity == activity.id, activity.id


# --- each measure's differences ----------------------------------------------------------------------------

@pytest.mark.parametrize("question,taixing,hebei", [
    ("有执法人员在场，辅助人员可以立案受理吗？", NO, CONDITIONAL),
    ("辅助人员可以作出处罚决定吗？", NO, CONDITIONAL),
    ("辅助人员可以在执法人员指导下实施行政强制措施吗？", NO, CONDITIONAL),
    ("辅助人员可以单独送达法律文书吗？", CONDITIONAL, NOT_ADDRESSED),
    ("辅助人员可以单独调查取证吗？", CONDITIONAL, CONDITIONAL),
    ("辅助人员可以独立开展普法宣传吗？", YES, NOT_ADDRESSED),
    ("40岁的人能被聘为辅助人员吗？", YES, NO),
    ("岗前培训2天够吗？", NO, NOT_ADDRESSED),
    ("17岁能当协管员吗？", NO, NO),
    ("吸过毒的人能当辅助人员吗？", NOT_ADDRESSED, NO),
    ("辅助人员可以审核案件吗？", NOT_ADDRESSED, CONDITIONAL),
    ("单位可以给辅助人员下达罚款指标吗？", NO, NOT_ADDRESSED),
    ("Can an auxiliary take coercive measures with an officer present?", NO, CONDITIONAL),
])
def test_each_measure_answers_in_its_own_terms(question, taixing, hebei):
    for measure, expected in (("taixing", taixing), ("hebei", hebei)):
        duty = classify(question, measure=measure)
        assert duty is not None and duty.measure == measure
        assert judge(duty).verdict == expected, (question, measure)
    both = judge(classify(question))
    addressed = [v for v in (taixing, hebei) if v != NOT_ADDRESSED]
    assert both.verdict == min(addressed, key=[NO, CONDITIONAL, YES].index)


def test_a_measure_named_in_the_question_wins_over_the_argument():
    assert classify("河北办法下辅助人员可以立案吗？", measure="taixing").measure == "hebei"
    assert classify("Under the Taixing measure, can an auxiliary file a case?", measure="hebei").measure == "taixing"
    assert classify("河北和泰兴都不允许辅助人员立案吗？", measure="hebei").measure is None


# --- not claimed ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("question", [
    '培训几天?',
    '河北办法什么时候施行?',
    '哪些人不得聘用?',
    '两地规定有何不同',
    '辅助人员的工资由谁定?',
    '岗前培训时间不少于几个工作日？',
    '泰兴办法规定哪些人不得聘用为辅助人员？',
    '两地办法对岗前培训的规定有何不同？',
    '培训有什么要求？',
    '河北办法对招聘年龄有什么规定？',
    'How many days of pre-job training must an auxiliary get?',
    'What does Article 9 of the Taixing measure say?',
    '辅助人员是什么？',
    '辅助人员的职责有哪些？',
    '辅助人员能做哪些工作？',
    'Who pays the auxiliaries?',
    '今天天气怎么样',
    '河北和泰兴对送达文书的规定一样吗？',
    '送达法律文书。',
    '泰兴办法第十条',
    'hello',
    '辅助人员送达文书要注意什么？',
    '送达文书的时候怎么办？',
    'Which work may an auxiliary do independently?',
    'What are the rights of auxiliaries?',
    '辅助人员可以吗？',
    'Can you help me?',
    '泰兴办法有效期到哪天？',
    '辅助人员的工资跟执法人员一样吗？',
    'Do auxiliaries get the same pay as officers?',
    '辅助人员的社保和公务员一样吗',
    '工资多少？',
    '迟到会扣钱吗？',
    '辅助人员会被扣分吗？',
    '辅助人员请假需要批准吗？',
    '辅助人员的档案放在哪里？',
    '哪些情况下辅助人员不能扣东西？',
    '河北办法2018年1月1日施行吗？',
    'What is the salary of an auxiliary?',
    'How many days is pre-job training?',
    'Which measure is stricter on hiring age?',
    'Who is responsible for the consequences?',
    # a trigger is never cut down to one everyday word by its stop words ("cover for" -> "cover")
    'Does the Hebei measure cover police auxiliaries?',
    'Can an auxiliary support the officers at a roadside check?',
])
def test_questions_that_are_not_yes_no_duty_questions_are_not_claimed(question):
    assert classify(question) is None


@pytest.mark.parametrize("question", [
    '辅助人员能开车和立案吗',  # allowed alone, and banned: no one answer for both
    '协管员能巡逻、罚款吗',
    '可以随便开除辅助人员吗',
    '辅助人员可以翻译和收费吗',
    "Can I drive or do I translate?",  # which of the two, not whether
    "Can an auxiliary drive and inspect?",
])
def test_ambiguous_questions_fall_back_to_retrieval(question):
    assert classify(question) is None


@given(st.text(max_size=80))
@settings(max_examples=300, deadline=None)
def test_any_text_gets_a_duty_question_or_none(text):
    duty = classify(text)
    assert duty is None or duty.activity in load_rules().by_id


@pytest.mark.parametrize("value", [None, "", "   ", 42])
def test_nothing_to_classify(value):
    assert classify(value) is None


# --- follow-ups -------------------------------------------------------------------------------------------

def test_follow_up_switches_the_measure_and_keeps_the_activity():
    first = classify("辅助人员可以单独立案吗？")
    assert judge(first).verdict == NO
    second = classify("那河北呢？", previous=first)
    assert second.activity == "file_case" and second.measure == "hebei" and judge(second).verdict == CONDITIONAL
    third = classify("那泰兴呢？", previous=second)
    assert third.measure == "taixing" and judge(third).verdict == NO


def test_follow_up_sets_the_modality():
    first = classify("协管员能自己去送达法律文书吗？")
    assert first.modality == ALONE
    second = classify("有执法人员在场呢？", previous=first)
    assert second.activity == "serve_documents" and second.modality == WITH_OFFICER_PRESENT
    assert judge(second).verdict == CONDITIONAL


def test_follow_up_with_an_officer_present_does_not_lift_an_absolute_ban():
    first = classify("泰兴的辅助人员可以单独立案吗？")
    second = classify("如果有执法人员在场呢？", previous=first)
    assert second.measure == "taixing" and second.modality == WITH_OFFICER_PRESENT and judge(second).verdict == NO


def test_english_follow_ups():
    first = classify("Can an auxiliary file a case alone?")
    second = classify("what about with an officer present?", previous=first)
    assert second.activity == "file_case" and second.modality == WITH_OFFICER_PRESENT
    third = classify("What about Hebei?", previous=second)
    assert third.measure == "hebei" and judge(third).verdict == CONDITIONAL


def test_follow_up_can_name_a_new_activity():
    first = classify("辅助人员可以单独送达法律文书吗？", measure="taixing")
    second = classify("那收红包呢？", previous=first)
    assert second.activity == "take_bribes" and second.measure == "taixing" and judge(second).verdict == NO


def test_follow_up_takes_the_measure_the_pipeline_chose():
    first = classify("辅助人员可以单独立案吗？")
    assert classify("那河北呢？", measure="hebei", previous=first).measure == "hebei"


def test_a_follow_up_asking_for_facts_is_not_claimed():
    first = classify("辅助人员可以单独立案吗？")
    assert classify("那培训几天呢？", previous=first) is None
    assert classify("what about how many days of training?", previous=first) is None


# --- what it extracts ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("question,modality", [
    ("辅助人员可以单独送达法律文书吗？", ALONE),
    ("协管员能自己去贴封条吗？", ALONE),
    ("没有执法人员在场，辅助人员可以检查吗？", ALONE),
    ("执法人员不在场时辅助人员可以检查吗？", ALONE),
    ("may I tow a car on my own?", ALONE),
    ("Can I inspect a shop without an officer?", ALONE),
    ("有执法人员在场，辅助人员可以检查吗？", WITH_OFFICER_PRESENT),
    ("辅助人员可以在执法人员指导下调查取证吗？", WITH_OFFICER_PRESENT),
    ("辅助人员可以协助执行处罚决定吗", WITH_OFFICER_PRESENT),
    ("Can an auxiliary inspect a shop with an officer?", WITH_OFFICER_PRESENT),
    ("Can I serve documents when an officer is present?", WITH_OFFICER_PRESENT),
    ("辅助人员可以送达法律文书吗？", UNSPECIFIED),
    ("Can auxiliaries serve documents?", UNSPECIFIED),
])
def test_modality(question, modality):
    assert classify(question).modality == modality


@pytest.mark.parametrize("question,negated", [
    ("可以不戴胸牌吗？", True), ("能不能不戴胸牌？", True), ("不戴胸牌可以吗？", True),
    ("辅助人员必须戴胸牌吗？", False), ("能不能戴胸牌？", False), ("单位可以不给我们交社保吗？", True),
    ("单位可以拖欠辅助人员工资吗？", True), ("Can I not wear my badge?", True),
    ("Can the bureau withhold our pay?", True), ("Do I have to wear a badge?", False),
    ("Is it ok to work without a certificate?", True), ("我要自己承担法律后果吗？", True),
])
def test_negation(question, negated):
    assert classify(question).negated is negated


@pytest.mark.parametrize("question,agency", [
    ("单位能让我们冒充正式执法人员去检查吗？", True), ("领导可以安排辅助人员办涉密案件吗？", True),
    ("队长能叫我们自己去扣车吗？", True), ("Can the bureau make us pose as officers?", True),
    ("Can my supervisor order me to seize goods alone?", True),
    ("辅助人员可以单独送达法律文书吗？", False), ("Can I tow a car alone?", False),
])
def test_agency_side_phrasing(question, agency):
    assert classify(question).agency_side is agency


def test_agency_side_questions_are_answered_as_asked():
    assert judge(classify("can the bureau set fine quotas for us?")).verdict == NO
    assert judge(classify("单位能让我们单独送达文书吗？")).verdict == CONDITIONAL
    assert judge(classify("单位可以不给辅助人员岗前培训吗？")).verdict == NO


def test_the_verdict_is_the_same_every_time():
    question = "协管员能自己去贴封条吗？"
    texts = {judge(classify(question)).text("zh") for _ in range(5)}
    assert len(texts) == 1


def test_a_duty_question_keeps_the_question_and_its_language():
    duty = classify("may I tow a car on my own?")
    assert isinstance(duty, DutyQuestion) and duty.lang == "en" and duty.question == "may I tow a car on my own?"
    assert judge(duty).text("en").startswith("**No.**")


@pytest.mark.parametrize("question", ["工作证能借给别人用吗", "Can I lend my badge to a friend?", "可以用同事的工作证上岗吗"])
def test_lending_the_certificate_is_said_to_be_unaddressed_not_invented(question):
    """Neither measure speaks of lending: the answer says so and quotes the 持证上岗 clauses as context."""
    from assistant.rules import classify, judge

    duty = classify(question)
    assert duty is not None and duty.activity == "lend_certificate"
    verdict = judge(duty)
    assert verdict.verdict == "not_addressed"
    assert "持证上岗" in verdict.text("zh")


def test_the_lead_index_never_loses_a_match(monkeypatch):
    """The classifier tries only the triggers whose first character or word (or a typo of it) a question
    contains; over every phrasing in this file that finds exactly what trying every trigger finds."""
    from assistant import classify as module

    rules = load_rules()
    questions = [p[0] for p in PHRASINGS + CATEGORIES]
    indexed = [module.matches(module.normalise(q), rules) for q in questions]
    monkeypatch.setattr(module, "_candidates", lambda rules, zh, words, real: list(module.triggers(rules)))
    assert [module.matches(module.normalise(q), rules) for q in questions] == indexed
