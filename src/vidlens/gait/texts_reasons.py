"""Why a metric is missing, and why an analysis failed, in the nine result languages (see
:mod:`vidlens.gait.i18n`)."""

# ruff: noqa: RUF001  (CJK text uses full-width punctuation on purpose)

TEXTS: dict[str, dict[str, str]] = {
    "reason_low_fps": {
        "en": (
            "Filmed at {fps:.0f} fps: one frame lasts {frame_ms:.0f} ms, so contact and flight "
            "times are only approximate (film at 60 fps or more)."
        ),
        "fr": (
            "Filmé à {fps:.0f} i/s : une image dure {frame_ms:.0f} ms, les temps de contact et "
            "de vol ne sont qu'approximatifs (filmez à 60 i/s ou plus)."
        ),
        "de": (
            "Mit {fps:.0f} fps gefilmt: ein Bild dauert {frame_ms:.0f} ms, Kontakt- und "
            "Flugzeiten sind daher nur ungefähr (mit 60 fps oder mehr filmen)."
        ),
        "zh": (
            "以 {fps:.0f} 帧/秒拍摄：每帧 {frame_ms:.0f} 毫秒，触地和腾空时间仅为近似值（请以 60 "
            "帧/秒或以上拍摄）。"
        ),
        "ko": (
            "{fps:.0f}fps로 촬영됨: 한 프레임이 {frame_ms:.0f}ms이므로 접촉 및 체공 시간은 "
            "근사치입니다 (60fps 이상으로 촬영하세요)."
        ),
        "pt": (
            "Filmado a {fps:.0f} fps: um quadro dura {frame_ms:.0f} ms, por isso os tempos de "
            "contato e de voo são apenas aproximados (filme a 60 fps ou mais)."
        ),
        "es": (
            "Grabado a {fps:.0f} fps: un fotograma dura {frame_ms:.0f} ms, así que los tiempos "
            "de contacto y de vuelo son aproximados (grabe a 60 fps o más)."
        ),
        "it": (
            "Girato a {fps:.0f} fps: un fotogramma dura {frame_ms:.0f} ms, quindi i tempi di "
            "contatto e di volo sono solo approssimativi (girare a 60 fps o più)."
        ),
        "ja": (
            "{fps:.0f} fpsで撮影：1フレームが {frame_ms:.0f} "
            "ミリ秒のため、接地時間と滞空時間は概算です（60 fps以上で撮影してください）。"
        ),
    },
    "reason_camera_pans": {
        "en": (
            "The camera moves, so the runner's speed over the ground cannot be measured; give "
            "the pace or film with a fixed camera."
        ),
        "fr": (
            "La caméra bouge : la vitesse au sol ne peut pas être mesurée ; indiquez l'allure ou "
            "filmez avec une caméra fixe."
        ),
        "de": (
            "Die Kamera bewegt sich, daher kann die Geschwindigkeit über Grund nicht gemessen "
            "werden; Pace angeben oder mit fester Kamera filmen."
        ),
        "zh": "摄像机在移动，无法测量跑者的地面速度；请提供配速或使用固定摄像机拍摄。",
        "ko": (
            "카메라가 움직여서 지면 속도를 측정할 수 없습니다. 페이스를 입력하거나 고정 카메라로 "
            "촬영하세요."
        ),
        "pt": (
            "A câmera se move, então a velocidade sobre o solo não pode ser medida; informe o "
            "ritmo ou filme com a câmera fixa."
        ),
        "es": (
            "La cámara se mueve, por lo que no se puede medir la velocidad sobre el suelo; "
            "indique el ritmo o grabe con la cámara fija."
        ),
        "it": (
            "La videocamera si muove, quindi la velocità al suolo non può essere misurata; "
            "indicare il passo o filmare con la videocamera ferma."
        ),
        "ja": (
            "カメラが動いているため、地面に対する速度を測定できません。ペースを入力するか、固定カ"
            "メラで撮影してください。"
        ),
    },
    "reason_too_few_steps": {
        "en": "Too few steps were seen ({steps}); film at least {needed} consecutive steps.",
        "fr": "Trop peu de pas observés ({steps}) ; filmez au moins {needed} pas consécutifs.",
        "de": (
            "Zu wenige Schritte erkannt ({steps}); mindestens {needed} aufeinanderfolgende "
            "Schritte filmen."
        ),
        "zh": "检测到的步数太少（{steps}）；请至少拍摄 {needed} 个连续步。",
        "ko": "감지된 걸음이 너무 적습니다 ({steps}). 연속 {needed}걸음 이상 촬영하세요.",
        "pt": "Poucos passos detectados ({steps}); filme pelo menos {needed} passos consecutivos.",
        "es": (
            "Se detectaron muy pocos pasos ({steps}); grabe al menos {needed} pasos consecutivos."
        ),
        "it": "Troppo pochi passi rilevati ({steps}); filmare almeno {needed} passi consecutivi.",
        "ja": "検出された歩数が少なすぎます（{steps}）。連続 {needed} 歩以上を撮影してください。",
    },
    "reason_short_visibility": {
        "en": (
            "The runner is visible for only {seconds:.1f} s; keep the whole body in the frame "
            "for several strides."
        ),
        "fr": (
            "Le coureur n'est visible que {seconds:.1f} s ; gardez tout le corps dans le cadre "
            "pendant plusieurs foulées."
        ),
        "de": (
            "Die Person ist nur {seconds:.1f} s sichtbar; den ganzen Körper mehrere Schritte "
            "lang im Bild halten."
        ),
        "zh": "跑者仅可见 {seconds:.1f} 秒；请让全身在画面中保持数个步幅。",
        "ko": "주자가 {seconds:.1f}초 동안만 보입니다. 몇 보폭 동안 전신이 화면에 있도록 하세요.",
        "pt": (
            "O corredor aparece por apenas {seconds:.1f} s; mantenha o corpo inteiro no quadro "
            "por várias passadas."
        ),
        "es": (
            "El corredor solo es visible {seconds:.1f} s; mantenga todo el cuerpo en el encuadre "
            "durante varias zancadas."
        ),
        "it": (
            "Il corridore è visibile solo per {seconds:.1f} s; tenere tutto il corpo "
            "nell'inquadratura per diverse falcate."
        ),
        "ja": (
            "ランナーが映っているのは {seconds:.1f} "
            "秒だけです。数ストライドの間、全身をフレーム内に収めてください。"
        ),
    },
    "reason_walking_no_flight": {
        "en": (
            "Walking: there is no flight phase (both feet are on the ground together for "
            "{double_ms:.0f} ms per step)."
        ),
        "fr": (
            "Marche : pas de phase de vol (les deux pieds sont au sol ensemble {double_ms:.0f} "
            "ms par pas)."
        ),
        "de": (
            "Gehen: keine Flugphase (beide Füße {double_ms:.0f} ms pro Schritt gleichzeitig am "
            "Boden)."
        ),
        "zh": "步行：没有腾空期（每步双脚同时着地 {double_ms:.0f} 毫秒）。",
        "ko": (
            "걷기: 체공 구간이 없습니다 (걸음마다 두 발이 {double_ms:.0f}ms 동안 함께 지면에 닿음)."
        ),
        "pt": (
            "Caminhada: não há fase de voo (os dois pés ficam no solo juntos {double_ms:.0f} ms "
            "por passo)."
        ),
        "es": (
            "Caminar: no hay fase de vuelo (ambos pies están en el suelo a la vez "
            "{double_ms:.0f} ms por paso)."
        ),
        "it": (
            "Camminata: non c'è fase di volo (entrambi i piedi sono a terra insieme per "
            "{double_ms:.0f} ms a passo)."
        ),
        "ja": (
            "歩行：滞空期はありません（1歩あたり {double_ms:.0f} "
            "ミリ秒、両足が同時に接地しています）。"
        ),
    },
    "reason_no_contacts": {
        "en": "No complete ground contact (landing and push-off) was seen.",
        "fr": "Aucun contact au sol complet (attaque et poussée) n'a été observé.",
        "de": "Kein vollständiger Bodenkontakt (Aufsatz und Abdruck) erkannt.",
        "zh": "未检测到完整的触地（着地与蹬离）。",
        "ko": "완전한 지면 접촉(착지와 밀기)이 감지되지 않았습니다.",
        "pt": "Nenhum contato completo com o solo (aterrissagem e impulsão) foi detectado.",
        "es": "No se detectó ningún contacto completo con el suelo (apoyo e impulso).",
        "it": "Nessun contatto completo al suolo (appoggio e spinta) rilevato.",
        "ja": "完全な接地（着地と蹴り出し）が検出されませんでした。",
    },
    "reason_not_side_view": {
        "en": (
            "The camera does not see the runner from the side, so this side-view metric cannot "
            "be measured."
        ),
        "fr": "La caméra ne voit pas le coureur de profil : cette mesure de profil est impossible.",
        "de": (
            "Die Kamera sieht die Person nicht von der Seite; dieser Wert der Seitenansicht ist "
            "nicht messbar."
        ),
        "zh": "摄像机未从侧面拍摄跑者，无法测量此侧面指标。",
        "ko": "카메라가 측면에서 촬영하지 않아 이 측면 지표를 측정할 수 없습니다.",
        "pt": "A câmera não vê o corredor de lado, então esta medida lateral não pode ser feita.",
        "es": "La cámara no ve al corredor de lado, por lo que esta medida lateral no es posible.",
        "it": (
            "La videocamera non riprende il corridore di lato, quindi questa misura laterale non "
            "è possibile."
        ),
        "ja": "カメラがランナーを側面から捉えていないため、この側面指標は測定できません。",
    },
    "reason_landmarks_hidden": {
        "en": "The landmarks needed were not visible clearly enough.",
        "fr": "Les repères nécessaires n'étaient pas assez visibles.",
        "de": "Die benötigten Körperpunkte waren nicht deutlich genug sichtbar.",
        "zh": "所需的身体关键点不够清晰。",
        "ko": "필요한 신체 랜드마크가 충분히 보이지 않았습니다.",
        "pt": "Os pontos do corpo necessários não estavam visíveis o suficiente.",
        "es": "Los puntos del cuerpo necesarios no eran lo bastante visibles.",
        "it": "I punti del corpo necessari non erano abbastanza visibili.",
        "ja": "必要なランドマークが十分に見えませんでした。",
    },
    "reason_not_running": {
        "en": "This is walking, not running: the running targets of this component do not apply.",
        "fr": (
            "Il s'agit de marche et non de course : les cibles de course de ce critère ne "
            "s'appliquent pas."
        ),
        "de": "Das ist Gehen, nicht Laufen: die Laufziele dieser Komponente gelten nicht.",
        "zh": "这是步行而非跑步：此项的跑步目标不适用。",
        "ko": "달리기가 아니라 걷기입니다: 이 항목의 달리기 목표는 적용되지 않습니다.",
        "pt": "Isto é caminhada, não corrida: as metas de corrida deste item não se aplicam.",
        "es": (
            "Esto es caminar, no correr: los objetivos de carrera de este componente no se aplican."
        ),
        "it": (
            "Questa è camminata, non corsa: gli obiettivi di corsa di questa voce non si applicano."
        ),
        "ja": "これはランニングではなく歩行です：この項目のランニング目標は適用されません。",
    },
    "reason_not_back_view": {
        "en": (
            "The camera does not see the runner from behind, so this back-view metric cannot be "
            "measured."
        ),
        "fr": "La caméra ne voit pas le coureur de dos : cette mesure de dos est impossible.",
        "de": (
            "Die Kamera sieht die Person nicht von hinten; dieser Wert der Rückansicht ist nicht "
            "messbar."
        ),
        "zh": "摄像机未从背后拍摄跑者，无法测量此背面指标。",
        "ko": "카메라가 뒤에서 촬영하지 않아 이 후면 지표를 측정할 수 없습니다.",
        "pt": (
            "A câmera não vê o corredor por trás, então esta medida posterior não pode ser feita."
        ),
        "es": (
            "La cámara no ve al corredor por detrás, por lo que esta medida posterior no es "
            "posible."
        ),
        "it": (
            "La videocamera non riprende il corridore da dietro, quindi questa misura posteriore "
            "non è possibile."
        ),
        "ja": "カメラがランナーを背後から捉えていないため、この背面指標は測定できません。",
    },
    "reason_pronation_only": {
        "en": "Not measured: full_body=false asks for pronation only.",
        "fr": "Non mesuré : full_body=false ne demande que la pronation.",
        "de": "Nicht gemessen: full_body=false verlangt nur die Pronation.",
        "zh": "未测量：full_body=false 仅请求旋前分析。",
        "ko": "측정하지 않음: full_body=false는 회내만 요청합니다.",
        "pt": "Não medido: full_body=false pede apenas a pronação.",
        "es": "No medido: full_body=false solo pide la pronación.",
        "it": "Non misurato: full_body=false richiede solo la pronazione.",
        "ja": "未測定：full_body=false は回内のみを指定しています。",
    },
    "error_no_person_detected": {
        "en": "Nobody was detected in the video: film the runner's whole body.",
        "fr": "Personne n'a été détecté dans la vidéo : filmez le corps entier du coureur.",
        "de": "Im Video wurde niemand erkannt: den ganzen Körper der Person filmen.",
        "zh": "视频中未检测到任何人：请拍摄跑者的全身。",
        "ko": "영상에서 사람이 감지되지 않았습니다. 주자의 전신을 촬영하세요.",
        "pt": "Ninguém foi detectado no vídeo: filme o corpo inteiro do corredor.",
        "es": "No se detectó a nadie en el vídeo: grabe el cuerpo entero del corredor.",
        "it": "Nessuno è stato rilevato nel video: filmare tutto il corpo del corridore.",
        "ja": "動画から人物が検出されませんでした。ランナーの全身を撮影してください。",
    },
    "error_no_steps": {
        "en": "No step was seen: film at least two full strides with the feet in the picture.",
        "fr": (
            "Aucun pas n'a été observé : filmez au moins deux foulées complètes avec les pieds "
            "dans le cadre."
        ),
        "de": (
            "Kein Schritt erkannt: mindestens zwei volle Doppelschritte mit den Füßen im Bild "
            "filmen."
        ),
        "zh": "未检测到任何步：请拍摄至少两个完整步幅，并让双脚保持在画面中。",
        "ko": (
            "걸음이 감지되지 않았습니다. 발이 화면에 보이도록 최소 두 번의 완전한 보폭을 "
            "촬영하세요."
        ),
        "pt": (
            "Nenhum passo foi detectado: filme pelo menos duas passadas completas com os pés no "
            "quadro."
        ),
        "es": (
            "No se detectó ningún paso: grabe al menos dos zancadas completas con los pies en el "
            "encuadre."
        ),
        "it": (
            "Nessun passo rilevato: filmare almeno due falcate complete con i piedi "
            "nell'inquadratura."
        ),
        "ja": (
            "歩が検出されませんでした。足がフレームに入った状態で、少なくとも2ストライド分を撮影"
            "してください。"
        ),
    },
}
